using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Tests.Data;

namespace Mirage.Tests.Generation;

/// <summary>
/// The README's "Deviations from Keras" table: each switch restores keras-preprocessing 1.1.0's behaviour.
/// </summary>
public class KerasDeviationSwitchTests
{
    [Fact]
    public void FitWithoutRescaleGivesKeras110Statistics()
    {
        // keras-preprocessing 1.1.0's fit ignores rescale: mean and std of the raw values (1.1.1 and later rescale first).
        var images = Enumerable.Range(0, 3).Select(k =>
        {
            var img = new Image<float>(2, 3, 1);
            for (int i = 0; i < img.Length; i++) img.Span[i] = 10 * k + i;
            return img;
        }).ToArray();
        var values = images.SelectMany(i => i.Span.ToArray()).Select(v => (double)v).ToArray();
        double mean = values.Average(), std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        var options = new ImageDataGeneratorOptions { FeaturewiseCenter = true, FeaturewiseStdNormalization = true, Rescale = 1.0 / 255 };

        var keras110 = new ImageDataGenerator(options);
        keras110.Fit(images, applyRescale: false);
        Assert.Equal(mean, keras110.Mean![0], 4);
        Assert.Equal(std, keras110.Std![0], 4);

        var later = new ImageDataGenerator(options);
        later.Fit(images);
        Assert.Equal(mean / 255, later.Mean![0], 6);
        Assert.Equal(std / 255, later.Std![0], 6);
        foreach (var i in images) i.Dispose();
    }

    [Fact]
    public void ScaledDecodeOffGivesLoadImgPixelsOnByDefaultDiffers()
    {
        // A 512×512 JPEG to 64×64: at least 2× the target, so a fast generator decodes it at a reduced DCT scale by
        // default; ScaledDecode = false gives Keras's load_img pixels (full decode, then the nearest resize).
        using var t = new TempDir();
        Directory.CreateDirectory(t["c"]);
        File.Copy(Cli.CliRunner.Sample("astronaut.jpg"), t["c/a.jpg"]);
        var generator = new ImageDataGenerator(new ImageDataGeneratorOptions());
        using var full = ImageDecoder.Decode(t["c/a.jpg"], ColorMode.Rgb);
        using var loadImg = Resize.To(full, 64, 64, ResizeInterpolation.Nearest);
        float[] Pixels(bool? scaled)
        {
            using var it = generator.FlowFromDirectory(t.Path, new DirectoryFlowOptions
                { TargetSize = (64, 64), BatchSize = 1, Shuffle = false, ScaledDecode = scaled, Seed = 1 });
            using var b = it.Next();
            return b.Sample(0).ToArray();
        }
        var keras = loadImg.Span.ToArray().Select(v => (float)v).ToArray();
        Assert.Equal(keras, Pixels(false));
        Assert.NotEqual(keras, Pixels(null));
    }
}
