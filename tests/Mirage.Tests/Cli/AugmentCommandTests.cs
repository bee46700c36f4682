using System.Text.Json;
using Mirage.Cli.Commands;
using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Tests.Data;
using Mirage.Transforms;

namespace Mirage.Tests.Cli;

public class AugmentCommandTests
{
    private const string Config = """{"rotation_range": 30, "width_shift_range": 0.1, "zoom_range": 0.2, "horizontal_flip": true, "fill_mode": "reflect"}""";

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = AugmentCommand.Create(output, errors).Parse(args).Invoke();
        return (code, output.ToString(), errors.ToString());
    }

    private static TempDir Tree()
    {
        var t = new TempDir();
        RealCodecTests.WritePng(t["src/cats/a.png"], 10, 12, 9);
        RealCodecTests.WritePng(t["src/cats/b.png"], 60, 7, 11);
        RealCodecTests.WritePng(t["src/dogs/c.png"], 120, 10, 10);
        File.WriteAllText(t["config.json"], Config);
        return t;
    }

    [Fact]
    public void SameSeedByteIdenticalWithOneAndTwoWorkersDifferentSeedsDiffer()
    {
        using var t = Tree();
        string[] Args(string outDir, string seed, string workers) =>
            [t["src"], t[outDir], "--config", t["config.json"], "--per-image", "3", "--seed", seed, "--workers", workers];
        var one = Run(Args("w1", "42", "1"));
        Assert.True(one.Code == 0, one.Err);
        Assert.Contains("wrote 9 augmented image(s)", one.Out);
        Assert.Equal(0, Run(Args("w2", "42", "2")).Code);
        Assert.Equal(0, Run(Args("s7", "7", "2")).Code);
        var w1 = AugmentRunnerTests.Snapshot(t["w1"]);
        var w2 = AugmentRunnerTests.Snapshot(t["w2"]);
        var s7 = AugmentRunnerTests.Snapshot(t["s7"]);
        Assert.Equal(11, w1.Count); // 9 images + manifest + its settings, mirrored folders
        Assert.Contains(Path.Combine("dogs", "c_aug_2.png"), w1.Keys);
        Assert.Equal(w1.Keys.Order(), w2.Keys.Order());
        foreach (var k in w1.Keys) Assert.True(w1[k].SequenceEqual(w2[k]), $"{k} differs between --workers 1 and 2");
        Assert.Equal(w1.Keys.Order(), s7.Keys.Order());
        Assert.All(w1.Keys, k => Assert.False(w1[k].SequenceEqual(s7[k]), $"{k} is the same with seeds 42 and 7"));
    }

    [Fact]
    public void SimdAndDecoderOptionsBuildTheRunsConfigurationAndKeepTheBytes()
    {
        using var t = Tree();
        File.WriteAllText(t["pipeline.json"], """{"transforms": [{"name": "rotate", "degrees": 40}, {"name": "horizontal_flip"}]}""");
        string[] Args(string outDir, params string[] extra) =>
            [t["src"], t[outDir], "--config", t["pipeline.json"], "--per-image", "2", "--seed", "3", .. extra];
        var auto = Run(Args("auto"));
        Assert.True(auto.Code == 0, auto.Err);
        var scalar = Run(Args("scalar", "--simd", "scalar", "--jpeg-decoder", "skiasharp"));
        Assert.True(scalar.Code == 0, scalar.Err);
        var a = AugmentRunnerTests.Snapshot(t["auto"]);
        var s = AugmentRunnerTests.Snapshot(t["scalar"]);
        Assert.Equal(a.Keys.Order(), s.Keys.Order());
        foreach (var k in a.Keys) Assert.True(a[k].SequenceEqual(s[k]), $"{k} differs between --simd auto and scalar");
        // Not recorded in the run's settings: a resume with another SIMD level is the same run.
        Assert.Equal(0, Run(Args("auto", "--simd", "vector128")).Code);

        var bad = Run(Args("bad", "--simd", "avx512"));
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("--simd expects one of auto, vector256, vector128, scalar", bad.Err);
        bad = Run(Args("bad", "--jpeg-decoder", "pillow"));
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("--jpeg-decoder expects auto, libjpeg-turbo or skiasharp; got 'pillow'", bad.Err);
    }

    [Fact]
    public void ManifestReplaysExactlyAndRerunDoesNoWork()
    {
        using var t = Tree();
        string[] args = [t["src"], t["out"], "--config", t["config.json"], "--per-image", "2", "--seed", "5", "--target-size", "8x6"];
        Assert.Equal(0, Run(args).Code);
        var lines = File.ReadAllLines(t["out/manifest.jsonl"]);
        Assert.Equal(6, lines.Length);
        var generator = AugmentCommand.LoadGenerator(t["config.json"]);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var p = TransformParameters.FromJson(root.GetProperty("params").GetRawText());
            using var src = new ImageLoadOptions((6, 8)).LoadBytes(Path.Combine(t["src"], root.GetProperty("source").GetString()!));
            using var x = ImageConvert.ToFloat(src);
            using var y = generator.ApplyTransform(x, p);
            using var expected = ImageConvert.ToByte(y);
            using var written = ImageDecoder.Decode(Path.Combine(t["out"], root.GetProperty("output").GetString()!), ColorMode.Rgb);
            Assert.Equal(expected.Span.ToArray(), written.Span.ToArray());
        }
        var before = AugmentRunnerTests.Snapshot(t["out"]);
        var again = Run(args);
        Assert.Equal(0, again.Code);
        Assert.Contains("wrote 0 augmented image(s), 6 already done", again.Out);
        var after = AugmentRunnerTests.Snapshot(t["out"]);
        foreach (var k in before.Keys) Assert.Equal(before[k], after[k]);
    }

    [Fact]
    public void EveryOutputReplaysWithMirageApply()
    {
        using var t = Tree();
        Assert.Equal(0, Run(t["src"], t["out"], "--config", t["config.json"], "--per-image", "2", "--seed", "9").Code);
        foreach (var line in File.ReadAllLines(t["out/manifest.jsonl"]))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            Assert.Equal("reflect", r.GetProperty("fill_mode").GetString());
            Assert.Equal(1, r.GetProperty("interpolation_order").GetInt32());
            var replay = t["replay.png"];
            int code = Mirage.Cli.MirageCli.Run([
                "apply", Path.Combine(t["src"], r.GetProperty("source").GetString()!), replay,
                "--params", r.GetProperty("params").GetRawText(),
                "--fill-mode", r.GetProperty("fill_mode").GetString()!,
                "--cval", r.GetProperty("cval").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--order", r.GetProperty("interpolation_order").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ]);
            Assert.Equal(0, code);
            using var expected = ImageDecoder.Decode(Path.Combine(t["out"], r.GetProperty("output").GetString()!), ColorMode.Rgb);
            using var actual = ImageDecoder.Decode(replay, ColorMode.Rgb);
            Assert.Equal(expected.Span.ToArray(), actual.Span.ToArray());
        }
    }

    [Fact]
    public void BadFilesThrowNamingTheFileOrAreSkippedAndReported()
    {
        using var t = BadFileTests.BadTree((p, v) => RealCodecTests.WritePng(p, v));
        using var o = new TempDir();
        File.WriteAllText(o["config.json"], Config);
        var thrown = Run(t.Path, o["out"], "--config", o["config.json"], "--workers", "1");
        Assert.Equal(1, thrown.Code);
        Assert.Matches(@"mirage: error: Cannot read image '.*c/\d-\w+\.(png|jpg)'", thrown.Err);
        var skipped = Run(t.Path, o["out2"], "--config", o["config.json"], "--on-error", "skip", "--per-image", "2");
        Assert.Equal(0, skipped.Code);
        Assert.Contains("wrote 4 augmented image(s)", skipped.Out);
        Assert.Contains("skipped 4 unreadable file(s)", skipped.Out);
        foreach (var name in new[] { "1-empty.png", "2-text.jpg", "3-truncated.png", "4-corrupt.png" }) Assert.Contains(name, skipped.Out);
    }

    [Fact]
    public void OptionErrorsAreOneClearLine()
    {
        using var t = Tree();
        var bad = Run(t["src"], t["out"], "--config", t["config.json"], "--format", "gif");
        Assert.Equal(1, bad.Code);
        Assert.Contains("--format expects png, jpeg, jpg or webp", bad.Err);
        var missing = Run(t["src"], t["out"], "--config", t["nope.json"]);
        Assert.Equal(1, missing.Code);
        Assert.Contains("nope.json", missing.Err);
        File.WriteAllText(t["typo.json"], """{"rotaton_range": 3}""");
        var typo = Run(t["src"], t["out"], "--config", t["typo.json"]);
        Assert.Equal(1, typo.Code);
        Assert.Contains("rotaton_range", typo.Err);
    }

    /// <summary>Issue 11 item 12: `--format jpg` names the files .jpg (it wrote .jpeg), and `--jpeg-quality` (Keras: 75)
    /// reaches the encoder, is recorded for resumes and is refused outside 1..100 or without JPEG output.</summary>
    [Fact]
    public void FormatJpgWritesJpgFilesAndJpegQualityReachesTheEncoder()
    {
        using var t = Tree();
        string[] Args(string outDir, params string[] more) => [t["src"], t[outDir], "--config", t["config.json"], "--seed", "3", .. more];
        var jpg = Run(Args("jpg", "--format", "jpg", "--jpeg-quality", "75"));
        Assert.True(jpg.Code == 0, jpg.Err);
        Assert.True(File.Exists(t["jpg/cats/a_aug_0.jpg"]));
        Assert.Empty(Directory.GetFiles(t["jpg"], "*.jpeg", SearchOption.AllDirectories));
        Assert.Equal(0, Run(Args("jpeg", "--format", "jpeg")).Code);
        Assert.True(File.Exists(t["jpeg/cats/a_aug_0.jpeg"]));
        Assert.Equal(0, Run(Args("png")).Code);
        using (var reference = ImageDecoder.Decode(t["png/cats/a_aug_0.png"], ColorMode.Rgb))
        {
            Assert.Equal(ImageEncoder.Encode(reference, ImageFormat.Jpeg, 75), File.ReadAllBytes(t["jpg/cats/a_aug_0.jpg"]));
            Assert.Equal(ImageEncoder.Encode(reference, ImageFormat.Jpeg, 95), File.ReadAllBytes(t["jpeg/cats/a_aug_0.jpeg"]));
        }
        var settings = File.ReadAllText(t["jpg/" + AugmentRunner.SettingsName]);
        Assert.Contains("\"jpeg_quality\": 75", settings);
        Assert.Contains("\"extension\": \"jpg\"", settings);

        var resume = Run(Args("jpg", "--format", "jpg", "--jpeg-quality", "90"));
        Assert.Equal(1, resume.Code);
        Assert.Contains("jpeg_quality: 75 before, 90 now", resume.Err);
        foreach (var q in new[] { "0", "101" })
        {
            var bad = Run(Args("bad", "--format", "jpg", "--jpeg-quality", q));
            Assert.Equal(1, bad.Code);
            Assert.Equal($"mirage: error: --jpeg-quality must be between 1 and 100 (Keras saves at Pillow's default, 75); got {q}.", bad.Err.Trim());
        }
        var png = Run(Args("bad", "--jpeg-quality", "80"));
        Assert.Equal(1, png.Code);
        Assert.Contains("--jpeg-quality applies to JPEG output only", png.Err);
        Assert.False(Directory.Exists(t["bad"]));
    }

    [Fact]
    public void FlowFromDirectoryWithTheRealGeneratorIsWorkerIndependent()
    {
        using var t = Tree();
        var generator = new ImageDataGenerator(ImageDataGeneratorOptions.FromJson(Config) with { Rescale = 1.0 / 255 });
        byte[] Bytes(int workers)
        {
            using var it = generator.FlowFromDirectory(t["src"], new DirectoryFlowOptions { TargetSize = (9, 7), BatchSize = 2, Seed = 3, Workers = workers, Epochs = 2 });
            var all = new List<byte>();
            foreach (var b in it)
                using (b) all.AddRange(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b.X).ToArray());
            return all.ToArray();
        }
        var w0 = Bytes(0);
        Assert.Equal(2 * 3 * 9 * 7 * 3 * sizeof(float), w0.Length);
        Assert.Equal(w0, Bytes(1));
        Assert.Equal(w0, Bytes(8));

        var stats = FeaturewiseStatistics.OfDirectory(t["src"], (9, 7));
        stats.LoadInto(generator);
        Assert.Equal((float)(stats.Mean[0] / 255), generator.Mean![0], 6);
    }
}
