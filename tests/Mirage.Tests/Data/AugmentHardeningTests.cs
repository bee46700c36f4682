using Mirage.Data;

namespace Mirage.Tests.Data;

/// <summary>Issue 11 items 5, 6 and 8 at the library level: prefixes, output collisions, the write-site guard, run
/// settings on resume, stale temp files and single-level atomic writes.</summary>
public class AugmentHardeningTests
{
    private static AugmentOptions Options(ulong seed = 7) => new()
    {
        PerImage = 2, Seed = seed, Workers = 2, Decoder = FakeCodec.Decode,
        Encoder = (img, stream, fmt) => stream.Write(img.Span),
    };

    private static TempDir Source(int files = 4)
    {
        var t = new TempDir();
        for (int i = 0; i < files; i++) FakeCodec.Write(t[$"src/cats/{i}.png"], 3, 4, 3, (byte)(i * 10));
        return t;
    }

    [Theory]
    [InlineData("../../../../src/cats/photo")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("..")]
    [InlineData("x..y")]
    [InlineData("tab\there")]
    [InlineData("nul\0")]
    public void Prefix_must_be_a_file_name_part(string prefix)
    {
        using var t = Source();
        var e = Assert.Throws<ArgumentException>(() => AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), Options() with { Prefix = prefix }));
        Assert.Contains("--prefix", e.Message);
        Assert.False(Directory.Exists(t["out"]) && Directory.EnumerateFileSystemEntries(t["out"]).Any(), "nothing written");
        Assert.Equal(4, Directory.GetFiles(t["src/cats"]).Length); // sources untouched
    }

    [Fact]
    public void Two_sources_never_share_an_output()
    {
        using var t = new TempDir();
        // a.png + a.jpg clash on the stem, so both keep their extension: a_png_aug_0 and a_jpg_aug_0 ... which a_png.jpg also wants.
        FakeCodec.Write(t["src/a.png"], 2, 2, 3, 1);
        FakeCodec.Write(t["src/a.jpg"], 2, 2, 3, 2);
        FakeCodec.Write(t["src/a_png.jpg"], 2, 2, 3, 3);
        var e = Assert.Throws<IOException>(() => AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), Options()));
        Assert.Contains("a_png_aug_0.png", e.Message);
        Assert.Contains("a.png", e.Message);
        Assert.Contains("a_png.jpg", e.Message);
    }

    [Fact]
    public void Never_writes_through_a_link_to_a_source()
    {
        if (OperatingSystem.IsWindows()) return;
        using var t = Source();
        // OUT/cats is a link into SRC/cats: the outputs would land among the sources.
        Directory.CreateDirectory(t["out"]);
        Directory.CreateSymbolicLink(t["out/cats"], t["src/cats"]);
        var e = Assert.Throws<IOException>(() => AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), Options()));
        Assert.Contains("outside the output folder", e.Message);
        Assert.Equal(4, Directory.GetFiles(t["src/cats"]).Length);
    }

    [Fact]
    public void Never_writes_through_a_file_link()
    {
        if (OperatingSystem.IsWindows()) return;
        using var t = Source();
        Directory.CreateDirectory(t["out/cats"]);
        File.CreateSymbolicLink(t["out/cats/0_aug_0.png"], t["src/cats/0.png"]);
        var before = File.ReadAllBytes(t["src/cats/0.png"]);
        var e = Assert.Throws<IOException>(() => AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), Options() with { Workers = 1 }));
        Assert.Contains("symbolic link", e.Message);
        Assert.Equal(before, File.ReadAllBytes(t["src/cats/0.png"]));
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("per_image")]
    [InlineData("target_size")]
    [InlineData("config")]
    [InlineData("prefix")]
    public void Resume_with_other_settings_is_refused_and_overwrite_replaces_the_run(string what)
    {
        using var t = Source();
        var first = Options() with { Config = """{"rotation_range": 10}""" };
        AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), first);
        var before = AugmentRunnerTests.Snapshot(t["out"]);
        var changed = what switch
        {
            "seed" => first with { Seed = 8 },
            "per_image" => first with { PerImage = 3 },
            "target_size" => first with { TargetSize = (2, 2) },
            "config" => first with { Config = """{"rotation_range": 20}""" },
            _ => first with { Prefix = "v2" },
        };
        var e = Assert.Throws<MirageException>(() => AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), changed));
        Assert.Contains(what, e.Message);
        Assert.Contains("--overwrite", e.Message);
        Assert.Contains("new output folder", e.Message);
        var after = AugmentRunnerTests.Snapshot(t["out"]);
        Assert.Equal(before.Keys.Order(), after.Keys.Order()); // nothing touched

        var log = new StringWriter();
        var s = AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), changed with { Overwrite = true, Log = log });
        Assert.Equal(4 * changed.PerImage, s.Written);
        Assert.Equal(0, s.AlreadyDone);
        Assert.Contains("deleted 8 output(s)", log.ToString());
        var lines = File.ReadAllLines(t["out/" + AugmentRunner.ManifestName]);
        Assert.Equal(4 * changed.PerImage, lines.Length); // one run in the manifest, not two mixed
        Assert.Equal(4 * changed.PerImage + 2, AugmentRunnerTests.Snapshot(t["out"]).Count);

        // The same settings again: a resume that has nothing to do.
        var again = AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), changed);
        Assert.Equal(0, again.Written);
    }

    [Fact]
    public void Settings_are_recorded_beside_the_manifest()
    {
        using var t = Source();
        AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), Options() with { Config = """{"zoom_range": 0.1}""", TargetSize = (3, 5) });
        var json = File.ReadAllText(t["out/" + AugmentRunner.SettingsName]);
        foreach (var key in new[] { "\"seed\": 7", "\"per_image\": 2", "\"zoom_range\": 0.1", "\"prefix\": \"aug\"", "\"format\": \"png\"" })
            Assert.Contains(key, json);
        Assert.Matches(@"""target_size"": \[\s*3,\s*5\s*\]", json);
    }

    [Fact]
    public void Stale_temp_files_of_our_naming_are_removed_on_resume_and_others_are_kept()
    {
        using var t = Source();
        AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), Options());
        string guid = Guid.NewGuid().ToString("N"), guid2 = Guid.NewGuid().ToString("N");
        var stale = new[] { t[$"out/cats/.0_aug_0.png.{guid}.tmp"], t[$"out/cats/.1_aug_1.png.{guid}.tmp.{guid2}.tmp"], t[$"out/.manifest.jsonl.{guid}.tmp"] };
        foreach (var f in stale) File.WriteAllText(f, "half");
        var keep = new[] { t["out/cats/notes.tmp"], t["out/cats/.hidden.tmp"], t[$"out/cats/.x.{guid[..31]}.tmp"] };
        foreach (var f in keep) File.WriteAllText(f, "mine");
        var log = new StringWriter();
        AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), Options() with { Log = log });
        foreach (var f in stale) Assert.False(File.Exists(f), f);
        foreach (var f in keep) Assert.True(File.Exists(f), f);
        Assert.Contains("removed 3 temp file(s)", log.ToString());
    }

    [Fact]
    public void Every_output_is_written_once_through_AtomicFile_and_a_failed_encode_leaves_nothing()
    {
        using var t = Source(1);
        string? seenPath = null;
        var options = Options() with
        {
            Workers = 1,
            Encoder = (img, stream, fmt) =>
            {
                seenPath = (stream as FileStream)?.Name;
                stream.Write(img.Span[..3]);
                throw new IOException("disk full");
            },
        };
        var e = Assert.Throws<IOException>(() => AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), options));
        Assert.Contains("disk full", e.Message); // AtomicFile names the target, not its hidden temp file
        Assert.DoesNotContain(".tmp", e.Message);
        // The encoder wrote into AtomicFile's own temp file (one level: not a temp of a temp).
        Assert.NotNull(seenPath);
        Assert.True(AtomicFile.IsTempName(Path.GetFileName(seenPath)), seenPath);
        Assert.Single(Path.GetFileName(seenPath).Split(".tmp"), s => s.Length == 0); // ".tmp" exactly once, at the end
        Assert.Empty(Directory.GetFiles(t["out"], "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_second_run_into_the_same_output_is_refused_while_the_first_holds_it()
    {
        using var t = Source(2);
        using var gate = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = Task.Run(() => AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), Options() with
        {
            Workers = 1,
            Encoder = (img, stream, fmt) =>
            {
                gate.Set();
                release.Wait(TimeSpan.FromSeconds(30));
                stream.Write(img.Span);
            },
        }));
        Assert.True(gate.Wait(TimeSpan.FromSeconds(30)));
        var e = Assert.Throws<IOException>(() => AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), Options()));
        Assert.Contains("Another `mirage augment` is writing into", e.Message);
        release.Set();
        Assert.Equal(4, (await first).Written);
    }

    [Fact]
    public void Target_size_beyond_the_pixel_limit_is_refused_before_any_work()
    {
        using var t = Source(1);
        var e = Assert.Throws<ArgumentException>(() =>
            AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), Options() with { TargetSize = (100000, 100000) }));
        Assert.Contains("--target-size", e.Message);
        Assert.Contains("100000x100000", e.Message);
        Assert.False(Directory.Exists(t["out"]));
    }
}
