using System.Diagnostics;
using Mirage.TorchSharp.Native;

namespace Mirage.TorchSharp.Tests.Native;

/// <summary>The ELF patcher on the real libLibTorchSharp.so (copied from the NuGet cache into a temp folder).</summary>
public sealed class LibStdCxxCompatTests : IDisposable
{
    private const string Version = "GLIBCXX_3.4.32";
    private readonly string _dir = Directory.CreateTempSubdirectory("mirage-elf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string PackageCopy()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"The TorchSharp package is not restored at {path}.");
        return path;
    }

    private string Copy()
    {
        var target = Path.Combine(_dir, "libLibTorchSharp.so");
        File.Copy(PackageCopy(), target, overwrite: true);
        return target;
    }

    private static HashSet<string> Lacking(params string[] versions)
    {
        var all = new HashSet<string>(ElfImage.Read(PackageCopy()).Needs.Where(n => n.File == LibStdCxxCompat.Library).Select(n => n.Version));
        all.ExceptWith(versions);
        return all;
    }

    [Fact]
    public void ReadsTheVersionRequirementsOfTheRealLibrary()
    {
        var elf = ElfImage.Read(PackageCopy());
        var need = Assert.Single(elf.Needs, n => n.Version == Version);
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.False(need.IsWeak);
        Assert.Equal(["_ZSt21ios_base_library_initv"], elf.SymbolsNeeding(need.Index));
        Assert.Contains(elf.Needs, n => n.File == "libc.so.6" && n.Version == "GLIBC_2.34");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void PatchingFlipsTheWeakFlagAndNoOtherByte()
    {
        var path = Copy();
        var before = File.ReadAllBytes(path);
        var outcome = LibStdCxxCompat.Patch(path, Lacking(Version), out var message);
        Assert.Equal(PatchOutcome.Patched, outcome);
        Assert.Contains(Version, message);
        var after = File.ReadAllBytes(path);
        var need = ElfImage.Parse(after, path).Needs.Single(n => n.Version == Version);
        Assert.True(need.IsWeak);
        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        Assert.NotEmpty(changed);
        Assert.All(changed, i => Assert.InRange(i, need.FlagsOffset, need.FlagsOffset + 1)); // only vna_flags
        Assert.All(ElfImage.Parse(after, path).Needs.Where(n => n.Version != Version), n => Assert.False(n.IsWeak));
        Assert.Equal(Mode(PackageCopy()), Mode(path)); // permissions kept through the atomic rewrite
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
        if (ReadElf(path) is { } listing) // binutils' view, when it is installed
            Assert.Contains($"Name: {Version}  Flags: WEAK", listing);
    }

    [Fact]
    public void PatchingTwiceChangesNothingMore()
    {
        var path = Copy();
        LibStdCxxCompat.Patch(path, Lacking(Version), out _);
        var once = File.ReadAllBytes(path);
        var stamp = File.GetLastWriteTimeUtc(path);
        Assert.Equal(PatchOutcome.AlreadyPatched, LibStdCxxCompat.Patch(path, Lacking(Version), out _));
        Assert.Equal(once, File.ReadAllBytes(path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path)); // not rewritten
    }

    [Fact]
    public void NothingHappensWhenTheSystemHasEveryVersion()
    {
        var path = Copy();
        var before = File.ReadAllBytes(path);
        Assert.Equal(PatchOutcome.NotNeeded, LibStdCxxCompat.Patch(path, Lacking(), out _));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void AVersionThatBindsRealSymbolsIsNeverWeakened()
    {
        var path = Copy();
        var before = File.ReadAllBytes(path);
        Assert.Equal(PatchOutcome.Unfixable, LibStdCxxCompat.Patch(path, Lacking(Version, "GLIBCXX_3.4.30"), out var message));
        Assert.Contains("GLIBCXX_3.4.30", message);
        Assert.Contains("newer libstdc++", message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void RefusesFilesItCannotHandleWithClearErrors()
    {
        var real = File.ReadAllBytes(PackageCopy());
        Assert.Contains("not an ELF file", Assert.Throws<InvalidDataException>(() => ElfImage.Parse("#!/bin/sh\necho hello, this is not a library at all......................................"u8.ToArray(), "script.sh")).Message);
        var elf32 = (byte[])real.Clone();
        elf32[4] = 1;
        Assert.Contains("32-bit", Assert.Throws<InvalidDataException>(() => ElfImage.Parse(elf32, "x.so")).Message);
        var bigEndian = (byte[])real.Clone();
        bigEndian[5] = 2;
        Assert.Contains("big-endian", Assert.Throws<InvalidDataException>(() => ElfImage.Parse(bigEndian, "x.so")).Message);
        var e = Assert.Throws<InvalidDataException>(() => ElfImage.Parse(real[..(real.Length / 2)], "half.so"));
        Assert.Contains("'half.so'", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void ReadsTheVersionsTheSystemLibStdCxxDefines()
    {
        var system = LibStdCxxCompat.FindSystemLibrary();
        Assert.NotNull(system);
        var defined = LibStdCxxCompat.DefinedVersions(system!);
        Assert.Contains("GLIBCXX_3.4", defined);
        Assert.Contains("CXXABI_1.3", defined);
        Assert.DoesNotContain("libstdc++.so.6", defined); // the base entry names the file, not a version
    }

    [Fact]
    public void TheLibraryThisTestRunLoadedIsPatchedExactlyWhenTheSystemNeedsIt()
    {
        var loaded = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var need = ElfImage.Read(loaded).Needs.Single(n => n.Version == Version);
        bool systemHasIt = LibStdCxxCompat.DefinedVersions(LibStdCxxCompat.FindSystemLibrary()!).Contains(Version);
        Assert.Equal(!systemHasIt, need.IsWeak);
        Assert.False(ElfImage.Read(PackageCopy()).Needs.Single(n => n.Version == Version).IsWeak); // the NuGet cache is untouched
        using var t = global::TorchSharp.torch.ones(2); // and libtorch loads
        Assert.Equal(2, t.sum().item<float>());
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static UnixFileMode Mode(string path) => File.GetUnixFileMode(path);

    private static string? ReadElf(string path)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("readelf", ["-V", "-W", path]) { RedirectStandardOutput = true, UseShellExecute = false });
            if (p is null) return null;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
