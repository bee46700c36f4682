using Mirage.Tests.Codecs;
using Mirage.Codecs;
using Mirage.Data;

namespace Mirage.Tests.Data;

/// <summary>
/// Every kind of hostile input (tools/hostile_corpus.py's files plus kinds made here at run time: FIFO, links, a folder
/// named x.jpg, files that change between listing and reading) through the folder pipeline under Throw and Skip,
/// checked against its expected outcome. docs/hostile-inputs.md is this table in prose.
/// </summary>
public class HostileCorpusTests
{
    internal static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "hostile");

    private const string Bomb = "over the limit of 178,956,970";

    /// <summary>Expected outcome per committed file: null = decodes (Throw and Skip both yield the sample); otherwise
    /// a phrase of the reason both the Throw error and the Skip report carry.</summary>
    internal static readonly IReadOnlyDictionary<string, string?> Expected = new Dictionary<string, string?>
    {
        ["ok.jpg"] = null, ["ok.png"] = null, ["ok.bmp"] = null, ["ok.webp"] = null, ["ok-lossless.webp"] = null, ["ok.gif"] = null,
        ["progressive.jpg"] = null, ["cmyk.jpg"] = null, ["gray.jpg"] = null,
        ["exif-orientation-1.jpg"] = null, ["exif-orientation-2.jpg"] = null, ["exif-orientation-3.jpg"] = null, ["exif-orientation-4.jpg"] = null,
        ["exif-orientation-5.jpg"] = null, ["exif-orientation-6.jpg"] = null, ["exif-orientation-7.jpg"] = null, ["exif-orientation-8.jpg"] = null,
        ["gray16.png"] = null, ["palette.png"] = null, ["palette-transparency.png"] = null, ["gray-alpha.png"] = null, ["rgba.png"] = null,
        ["animated.gif"] = null, ["1x1.png"] = null, ["1x40000.png"] = null, ["40000x1.png"] = null,
        ["naïve café 写真.jpg"] = null, ["with space.png"] = null,
        ["png-named.jpg"] = null, ["jpeg-named.png"] = null, // the content decides, as in Pillow
        ["corrupt.jpg"] = null, ["corrupt.webp"] = null, // damage the decoders tolerate (Pillow too)
        ["corrupt.gif"] = "corrupt image data",
        ["zero-bytes.jpg"] = "empty file (0 bytes)",
        ["text.jpg"] = "not a recognised image format",
        ["html.png"] = "not a recognised image format",
        ["signature-only.png"] = "truncated",
        ["truncated-baseline.jpg"] = "truncated",
        ["truncated-progressive.jpg"] = "truncated: the JPEG data ends before its end-of-image marker",
        ["truncated-header.jpg"] = "truncated",
        ["truncated.png"] = "truncated: only 2 of 24 rows decoded",
        ["truncated.gif"] = "truncated",
        ["truncated.webp"] = "truncated: only 70 of 140 bytes present",
        ["truncated.bmp"] = "truncated: only 1179 of 2358 bytes present",
        ["corrupt.png"] = "corrupt image data",
        ["corrupt-header.bmp"] = "corrupt BMP header",
        ["bomb-30000x30000.jpg"] = Bomb, ["bomb-20000x20000.jpg"] = Bomb, ["bomb-26000x26000-progressive.jpg"] = Bomb,
        ["bomb-65500x65500.jpg"] = Bomb, ["bomb-20000x20000.png"] = Bomb, ["bomb-2147483647x1.png"] = Bomb,
        ["bomb-65535x65535.gif"] = Bomb, ["bomb-16384x16384.webp"] = Bomb, ["bomb-100000x100000.bmp"] = Bomb,
        ["bomb-20000x20000.ppm"] = Bomb, ["bomb-30000x30000.pgm"] = Bomb, ["bomb-20000x20000.tif"] = Bomb, ["bomb-4294967295x1-big-endian.tif"] = Bomb,
    };

    public static TheoryData<string> Files() => [.. Expected.Keys];

    [Fact]
    public void Every_committed_kind_has_an_expected_outcome_and_there_are_at_least_30()
    {
        var files = Directory.GetFiles(Folder).Select(Path.GetFileName).ToHashSet();
        Assert.Empty(files.Except(Expected.Keys)); // a new kind in the generator needs its row here (and in the docs)
        Assert.Empty(Expected.Keys.Except(files!));
        Assert.True(files.Count >= 30);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Committed_kind_under_throw_and_skip(string file)
    {
        using var t = new TempDir();
        File.Copy(Path.Combine(Folder, file), t[file]);
        Check(t.Path, file, Expected[file]);
    }

    [Fact]
    public void Bombs_are_refused_through_every_jpeg_path_and_every_format_without_allocating()
    {
        foreach (var (file, reason) in Expected.Where(e => e.Value == Bomb))
        {
            var bytes = File.ReadAllBytes(Path.Combine(Folder, file));
            // libjpeg-turbo, then SkiaSharp and the 1/8 decoder (what a machine without libjpeg-turbo runs).
            foreach (var decoders in new[] { MirageConfiguration.Default, SkiaFallbackTests.Skia })
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bytes, ColorMode.Rgb, file, false, ImageDecoder.DefaultMaxPixels, decoders));
                var scaled = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeAtLeast(Path.Combine(Folder, file), ColorMode.Rgb, 8, 8, configuration: decoders));
                Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (1 << 20), $"{file}: allocated before refusing");
                Assert.Contains(reason!, e.Reason);
                Assert.Contains(reason!, scaled.Reason);
                Assert.Contains("--max-pixels", e.Reason); // says how to raise it
            }
        }
    }

    [Fact]
    public void A_raised_limit_lets_a_claim_through_to_a_typed_error_never_an_overflow()
    {
        // 30000x30000 under a raised limit: the decoded buffer would not fit one array. Issue 11 saw OverflowException.
        var bytes = File.ReadAllBytes(Path.Combine(Folder, "bomb-30000x30000.jpg"));
        foreach (var decoders in new[] { MirageConfiguration.Default, SkiaFallbackTests.Skia })
        {
            var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bytes, ColorMode.Rgb, "big.jpg", false, maxPixels: 1_000_000_000, decoders));
            Assert.Contains("too large", e.Reason);
        }
        foreach (var file in new[] { "bomb-30000x30000.pgm", "bomb-4294967295x1-big-endian.tif" }) // Mirage's own readers
        {
            var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(Folder, file)), ColorMode.Rgb, file, false, maxPixels: 10_000_000_000));
            Assert.Contains("too large", e.Reason);
        }
        // A small limit refuses an ordinary photo, naming the option.
        var small = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(Path.Combine(Folder, "ok.jpg"), ColorMode.Rgb, false, maxPixels: 100));
        Assert.Contains("32x24 = 768 pixels, over the limit of 100", small.Reason);
    }

    [Fact]
    public void Fifo_is_reported_not_waited_on()
    {
        if (OperatingSystem.IsWindows()) return;
        using var t = new TempDir();
        MakeFifo(t["fifo.jpg"]);
        Check(t.Path, "fifo.jpg", "not a regular file (a named pipe, FIFO)");
    }

    [Fact]
    public void Broken_link_and_link_loop_are_reported()
    {
        if (OperatingSystem.IsWindows()) return;
        using var t = new TempDir();
        File.CreateSymbolicLink(t["broken.jpg"], t["nowhere.jpg"]);
        Check(t.Path, "broken.jpg", "broken symbolic link");
        using var u = new TempDir();
        File.CreateSymbolicLink(u["loop1.jpg"], u["loop2.jpg"]);
        File.CreateSymbolicLink(u["loop2.jpg"], u["loop1.jpg"]);
        Check(u.Path, "loop1.jpg", "symbolic link loop");
    }

    [Fact]
    public void A_folder_named_x_jpg_is_a_folder_not_an_image()
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t["c/x.jpg"]);
        File.Copy(Path.Combine(Folder, "ok.png"), t["c/x.jpg/inside.png"]);
        // Listed as Keras lists it: a folder is walked, not read; the image inside it is found.
        using (var it = DataPipeline.FromDirectory<float>(t.Path, null, new DirectoryFlowOptions { TargetSize = (8, 8), ClassMode = ClassMode.None, Shuffle = false }))
            Assert.Equal(["c/x.jpg/inside.png"], it.Source is FileSource f ? f.Filenames.Select(n => n.Replace('\\', '/')).ToArray() : []);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(t["c/x.jpg"], ColorMode.Rgb));
        Assert.Contains("is a folder, not a file", e.Reason);
    }

    [Theory]
    [InlineData(false, "file not found")]
    [InlineData(true, "empty file (0 bytes)")]
    public void A_file_deleted_or_truncated_between_listing_and_reading(bool truncate, string reason)
    {
        foreach (var policy in new[] { BadFilePolicy.Throw, BadFilePolicy.Skip })
        {
            using var t = new TempDir();
            Directory.CreateDirectory(t["c"]);
            File.Copy(Path.Combine(Folder, "ok.png"), t["c/a.png"]);
            File.Copy(Path.Combine(Folder, "ok.jpg"), t["c/b.jpg"]);
            using var it = DataPipeline.FromDirectory<float>(t.Path, null, new DirectoryFlowOptions
            {
                TargetSize = (8, 8), BatchSize = 1, Epochs = 1, Shuffle = false, Seed = 1, ClassMode = ClassMode.None, OnBadFile = policy, Workers = 2,
            });
            if (truncate) File.WriteAllBytes(t["c/b.jpg"], []);
            else File.Delete(t["c/b.jpg"]);
            if (policy == BadFilePolicy.Throw)
            {
                var e = Assert.Throws<ImageDecodeException>(() => Drain(it));
                Assert.Contains("b.jpg", e.Message);
                Assert.Contains(reason, e.Reason);
            }
            else
            {
                Assert.Equal(1, Drain(it));
                Assert.Contains(it.SkippedFiles, s => s.Path.EndsWith("b.jpg", StringComparison.Ordinal) && s.Reason.Contains(reason, StringComparison.Ordinal));
            }
        }
    }

    internal static void MakeFifo(string path)
    {
        using var p = System.Diagnostics.Process.Start("mkfifo", [path]);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    private static TableFlowOptions Options(BadFilePolicy policy) => new()
    {
        TargetSize = (8, 8), BatchSize = 1, Epochs = 1, Shuffle = false, Seed = 1, ClassMode = ClassMode.None,
        ValidateFilenames = false, OnBadFile = policy, Workers = 2,
    };

    private static int Drain<T>(BatchIterator<T> it) where T : unmanaged
    {
        int samples = 0;
        foreach (var b in it)
            using (b) samples += b.Count;
        return samples;
    }

    /// <summary>
    /// One file through a one-row table flow (no extension filter, so every kind is read) under Throw and Skip, with a
    /// deadline: a hang (the FIFO of issue 11) fails instead of blocking the suite.
    /// </summary>
    private static void Check(string dir, string file, string? reason)
    {
        var table = new Table(["filename"], [[file]]);
        foreach (var policy in new[] { BadFilePolicy.Throw, BadFilePolicy.Skip })
        {
            var run = Task.Run<(int Samples, ImageDecodeException? Error, BadFile[] Skipped)>(() =>
            {
                using var it = DataPipeline.FromTable<float>(table, null, Options(policy) with { Directory = dir });
                try
                {
                    return (Drain(it), null, it.SkippedFiles.ToArray());
                }
                catch (ImageDecodeException e)
                {
                    return (0, e, it.SkippedFiles.ToArray());
                }
            });
            Assert.True(run.Wait(TimeSpan.FromSeconds(20)), $"{file} under {policy}: no answer within 20 s");
            var (samples, error, skipped) = run.Result;
            if (reason is null)
            {
                Assert.Null(error);
                Assert.Equal(1, samples);
                Assert.Empty(skipped);
            }
            else if (policy == BadFilePolicy.Throw)
            {
                Assert.NotNull(error);
                Assert.Contains(file, error.Message);
                Assert.Contains(reason, error.Reason);
                Assert.DoesNotContain('\n', error.Message); // one line
            }
            else
            {
                Assert.Null(error);
                Assert.Equal(0, samples);
                var s = Assert.Single(skipped);
                Assert.Contains(file, s.Path);
                Assert.Contains(reason, s.Reason);
            }
        }
    }
}
