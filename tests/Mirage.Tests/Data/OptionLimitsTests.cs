using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;

namespace Mirage.Tests.Data;

/// <summary>
/// Issue 11 items 7 and 12 through the options a library user sets (the CLI's --max-pixels and the decoder's own
/// argument are tested elsewhere): the pixel limit on a folder flow and on `augment`, and RGBA saved as JPEG by
/// save_to_dir (Keras raises; Mirage drops the alpha channel, a documented deviation).
/// </summary>
public class OptionLimitsTests
{
    private static void WritePng(string path, int height, int width, int channels)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var img = new Image<byte>(height, width, channels);
        new Random(height * 31 + width).NextBytes(img.Span);
        ImageEncoder.Save(img, path, ImageFormat.Png);
    }

    [Fact]
    public void Flow_MaxPixels_refuses_a_larger_file_before_decoding_under_throw_and_skips_it_under_skip()
    {
        using var t = new TempDir();
        WritePng(t["data/a/big.png"], 20, 30, 3); // 600 pixels
        WritePng(t["data/a/small.png"], 10, 10, 3); // 100 pixels
        var options = new DirectoryFlowOptions { TargetSize = (8, 8), Shuffle = false, BatchSize = 2, MaxPixels = 500 };

        using (var it = DataPipeline.FromDirectory<float>(t["data"], null, options))
        {
            var e = Assert.Throws<ImageDecodeException>(() => it.GetBatch(0));
            Assert.Contains("big.png", e.Message);
            Assert.Contains("over the limit of 500", e.Message);
        }

        using (var it = DataPipeline.FromDirectory<float>(t["data"], null, options with { OnBadFile = BadFilePolicy.Skip }))
        {
            using var batch = it.GetBatch(0);
            Assert.Equal(1, batch.Count);
            var bad = Assert.Single(it.SkippedFiles);
            Assert.EndsWith("big.png", bad.Path);
            Assert.Contains("over the limit of 500", bad.Reason);
        }

        // Raised above the file's size, the same file loads.
        using (var it = DataPipeline.FromDirectory<float>(t["data"], null, options with { MaxPixels = 600 }))
        using (var batch = it.GetBatch(0))
            Assert.Equal(2, batch.Count);
    }

    [Fact]
    public void Augment_MaxPixels_skips_a_larger_source_and_reports_it()
    {
        using var t = new TempDir();
        WritePng(t["src/a/big.png"], 20, 30, 3);
        WritePng(t["src/a/small.png"], 10, 10, 3);
        var augmenter = ISampleAugmenter.Of(new ImageDataGenerator(new ImageDataGeneratorOptions { HorizontalFlip = true }));
        var summary = AugmentRunner.Run(t["src"], t["out"], augmenter,
            new AugmentOptions { MaxPixels = 500, OnBadFile = BadFilePolicy.Skip, Seed = 1 });
        Assert.Equal(1, summary.Written);
        var bad = Assert.Single(summary.Skipped);
        Assert.Contains("over the limit of 500", bad.Reason);
        Assert.True(File.Exists(t["out/a/small_aug_0.png"]));
        Assert.False(File.Exists(t["out/a/big_aug_0.png"]));
    }

    [Fact]
    public void SaveToDir_writes_an_rgba_sample_as_a_three_channel_jpeg()
    {
        using var t = new TempDir();
        WritePng(t["data/a/x.png"], 12, 16, 4);
        using var it = DataPipeline.FromDirectory<float>(t["data"], null, new DirectoryFlowOptions
        {
            TargetSize = (12, 16), ColorMode = ColorMode.Rgba, Shuffle = false, BatchSize = 1, Seed = 1,
            SaveToDir = t["saved"], SaveFormat = ImageFormat.Jpeg,
        });
        using var batch = it.GetBatch(0);
        Assert.Equal(4, it.SampleShape.Channels);
        var saved = Assert.Single(Directory.GetFiles(t["saved"]));
        Assert.EndsWith(".jpeg", saved); // save_to_dir names JPEG files .jpeg (only `mirage augment --format jpg` writes .jpg)
        var info = ImageDecoder.ReadInfo(saved);
        Assert.False(info.HasAlpha);
        using var back = ImageDecoder.Decode(saved, ColorMode.Rgb);
        Assert.Equal((12, 16), (back.Height, back.Width));
    }
}
