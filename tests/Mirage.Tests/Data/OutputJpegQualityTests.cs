using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;

namespace Mirage.Tests.Data;

/// <summary>
/// Issue 11 item 12: Keras's save_to_dir writes JPEG at Pillow's default quality, 75; Mirage writes 95 unless told
/// otherwise (<see cref="FlowOptions.SaveJpegQuality"/>, <see cref="AugmentOptions.JpegQuality"/>, `--jpeg-quality`).
/// Pillow's encoder is not Skia's, so the outputs cannot equal Pillow's bytes; instead each written file must be exactly
/// what Mirage's encoder gives at the quality asked, and lower qualities must be smaller and further from the pixels.
/// `jpg` as an extension: `--format jpg` names the files .jpg, as Keras names them .{save_format}.
/// </summary>
public class OutputJpegQualityTests
{
    private static readonly int[] Qualities = [30, 75, 95];

    /// <summary>A noisy picture: JPEG at any quality loses something, and a lower quality loses more.</summary>
    private static void WriteNoise(string path, int seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var img = new Image<byte>(24, 32, 3);
        new Random(seed).NextBytes(img.Span);
        ImageEncoder.Save(img, path, ImageFormat.Png);
    }

    private static double MeanAbsoluteError(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long sum = 0;
        for (int i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return sum / (double)a.Length;
    }

    /// <summary>Sizes grow and errors shrink with the quality, strictly.</summary>
    private static void AssertOrdered(IReadOnlyList<(int Quality, long Bytes, double Error)> runs)
    {
        for (int k = 1; k < runs.Count; k++)
        {
            Assert.True(runs[k].Bytes > runs[k - 1].Bytes, $"quality {runs[k].Quality}: {runs[k].Bytes} bytes, not more than {runs[k - 1].Bytes} at {runs[k - 1].Quality}");
            Assert.True(runs[k].Error < runs[k - 1].Error, $"quality {runs[k].Quality}: error {runs[k].Error}, not below {runs[k - 1].Error} at {runs[k - 1].Quality}");
        }
    }

    [Fact]
    public void SaveToDir_writes_jpeg_at_the_quality_asked()
    {
        using var t = new TempDir();
        WriteNoise(t["data/a/x.png"], 1);
        var runs = new List<(int, long, double)>();
        foreach (int q in Qualities)
        {
            using var it = DataPipeline.FromDirectory<float>(t["data"], null, new DirectoryFlowOptions
            {
                TargetSize = (24, 32), Shuffle = false, BatchSize = 1, Seed = 1,
                SaveToDir = t[$"q{q}"], SaveFormat = ImageFormat.Jpeg, SaveJpegQuality = q,
            });
            using var batch = it.GetBatch(0);
            using var sample = Image<float>.Wrap(batch.Sample(0).ToArray(), 24, 32, 3);
            using var viewable = SaveToDirWriter.ToViewable(sample);
            var written = File.ReadAllBytes(Assert.Single(Directory.GetFiles(t[$"q{q}"])));
            Assert.Equal(ImageEncoder.Encode(viewable, ImageFormat.Jpeg, q), written); // the quality reached the encoder
            using var back = ImageDecoder.Decode(written, ColorMode.Rgb, "saved.jpeg");
            runs.Add((q, written.Length, MeanAbsoluteError(viewable.Span, back.Span)));
        }
        AssertOrdered(runs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void SaveToDir_quality_outside_1_to_100_is_refused(int quality)
    {
        using var t = new TempDir();
        WriteNoise(t["data/a/x.png"], 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DataPipeline.FromDirectory<float>(t["data"], null, new DirectoryFlowOptions
        {
            TargetSize = (4, 4), SaveToDir = t["out"], SaveFormat = ImageFormat.Jpeg, SaveJpegQuality = quality,
        }));
        Assert.Contains($"FlowOptions.SaveJpegQuality must be between 1 and 100 (Keras saves at Pillow's default, 75); got {quality}.", e.Message);
    }

    [Fact]
    public void Augment_writes_jpeg_at_the_quality_asked()
    {
        using var t = new TempDir();
        WriteNoise(t["src/cats/a.png"], 2);
        var augmenter = ISampleAugmenter.Of(new ImageDataGenerator(new ImageDataGeneratorOptions())); // no transforms: a textured output
        AugmentRunner.Run(t["src"], t["png"], augmenter, new AugmentOptions { Format = ImageFormat.Png });
        using var reference = ImageDecoder.Decode(t["png/cats/a_aug_0.png"], ColorMode.Rgb);
        var runs = new List<(int, long, double)>();
        foreach (int q in Qualities)
        {
            AugmentRunner.Run(t["src"], t[$"q{q}"], augmenter, new AugmentOptions { Format = ImageFormat.Jpeg, JpegQuality = q });
            var written = File.ReadAllBytes(t[$"q{q}/cats/a_aug_0.jpeg"]);
            Assert.Equal(ImageEncoder.Encode(reference, ImageFormat.Jpeg, q), written);
            using var back = ImageDecoder.Decode(written, ColorMode.Rgb, "a_aug_0.jpeg");
            runs.Add((q, written.Length, MeanAbsoluteError(reference.Span, back.Span)));
            Assert.Contains($"\"jpeg_quality\": {q}", File.ReadAllText(t[$"q{q}/{AugmentRunner.SettingsName}"]));
        }
        AssertOrdered(runs);
        // The default is Mirage's 95, not Pillow's 75.
        AugmentRunner.Run(t["src"], t["default"], augmenter, new AugmentOptions { Format = ImageFormat.Jpeg });
        Assert.Equal(File.ReadAllBytes(t["q95/cats/a_aug_0.jpeg"]), File.ReadAllBytes(t["default/cats/a_aug_0.jpeg"]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Augment_quality_outside_1_to_100_is_refused_before_anything_is_written(int quality)
    {
        using var t = new TempDir();
        WriteNoise(t["src/cats/a.png"], 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(),
            new AugmentOptions { Format = ImageFormat.Jpeg, JpegQuality = quality }));
        Assert.StartsWith($"--jpeg-quality must be between 1 and 100 (Keras saves at Pillow's default, 75); got {quality}.", e.Message);
        Assert.False(Directory.Exists(t["out"]));
    }

    [Fact]
    public void Augment_names_files_with_the_extension_asked_and_refuses_one_of_another_format()
    {
        using var t = new TempDir();
        WriteNoise(t["src/cats/a.png"], 3);
        var jpg = new AugmentOptions { Format = ImageFormat.Jpeg, Extension = "jpg" };
        AugmentRunner.Run(t["src"], t["jpg"], new FakeAugmenter(), jpg);
        Assert.True(File.Exists(t["jpg/cats/a_aug_0.jpg"]));
        Assert.Contains("a_aug_0.jpg\"", File.ReadAllText(t["jpg/" + AugmentRunner.ManifestName]));
        AugmentRunner.Run(t["src"], t["jpeg"], new FakeAugmenter(), jpg with { Extension = null });
        Assert.True(File.Exists(t["jpeg/cats/a_aug_0.jpeg"]));
        // The same run resumed under the other name would mix .jpg and .jpeg: refused, naming the difference.
        var resume = Assert.Throws<MirageException>(() => AugmentRunner.Run(t["src"], t["jpg"], new FakeAugmenter(), jpg with { Extension = "jpeg" }));
        Assert.Contains("extension: \"jpg\" before, \"jpeg\" now", resume.Message);
        foreach (var wrong in new[] { "png", "a/b.jpg", "", ".jpg" })
        {
            var e = Assert.Throws<ArgumentException>(() => AugmentRunner.Run(t["src"], t["bad"], new FakeAugmenter(), jpg with { Extension = wrong }));
            Assert.Contains($"The extension '{wrong}' does not name the output format jpeg; use jpg or jpeg", e.Message);
        }
        Assert.False(Directory.Exists(t["bad"]));
    }
}
