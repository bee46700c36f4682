using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;

namespace Mirage.Tests.Data;

/// <summary>FileFlowOptions.FineScaledDecode: libjpeg-turbo's M/8 scales for JPEGs between 1× and 2× the target (opt-in).</summary>
public class FineScaledDecodeTests
{
    private static string WritePhoto(TempDir t, string name, int h, int w)
    {
        // A photo-like picture: gradients and soft stripes of a few tens of pixels (no pixel-level noise, which any
        // two nearest resizes of different grids would disagree on).
        using var img = new Image<byte>(h, w, 3);
        var s = img.Span;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = (y * w + x) * 3;
                s[i] = (byte)(x * 255 / w);
                s[i + 1] = (byte)(y * 255 / h);
                s[i + 2] = (byte)(127 + 100 * Math.Sin((x + 2 * y) / 9.0));
            }
        string path = t[name];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ImageEncoder.Save(img, path, ImageFormat.Jpeg, 90);
        return path;
    }

    [Fact]
    public void A512x384PhotoFor224DecodesAtFiveEighthsOnlyWhenAskedFor()
    {
        if (!TurboJpeg.IsAvailable) return; // M/8 scales are libjpeg-turbo's
        using var t = new TempDir();
        string path = WritePhoto(t, "a/photo.jpg", 384, 512);
        using (var fine = ImageDecoder.DecodeForTarget(path, ColorMode.Rgb, 224, 224, minRatio: 1))
            Assert.Equal((240, 320), (fine.Height, fine.Width)); // 5/8: the smallest M/8 scale covering 224×224
        using (var coarse = ImageDecoder.DecodeForTarget(path, ColorMode.Rgb, 224, 224))
            Assert.Equal((384, 512), (coarse.Height, coarse.Width)); // the default needs 2× the target

        var keras = new ImageLoadOptions((224, 224), ColorMode.Rgb, ResizeInterpolation.Nearest);
        using var exact = keras.LoadBytes(path);
        using var defaultScaled = (keras with { ScaledDecode = true }).LoadBytes(path);
        Assert.True(exact.Span.SequenceEqual(defaultScaled.Span)); // below 2×: the default path's bytes are unchanged
        using var fineLoaded = (keras with { ScaledDecode = true, FineScaledDecode = true }).LoadBytes(path);
        Assert.Equal(exact.Info, fineLoaded.Info);
        double sum = 0;
        for (int i = 0; i < exact.Length; i++) sum += Math.Abs(exact.Span[i] - fineLoaded.Span[i]);
        Assert.True(sum / exact.Length < 4, $"mean |fine − full| = {sum / exact.Length:F2}"); // the same picture, low-passed
        Assert.False(exact.Span.SequenceEqual(fineLoaded.Span)); // and not Keras's pixels: hence opt-in
    }

    [Fact]
    public void FlowOptionTurnsScaledDecodeOnUnlessItIsOff()
    {
        using var t = new TempDir();
        WritePhoto(t, "a/photo.jpg", 64, 80);
        var generator = new ImageDataGenerator(new ImageDataGeneratorOptions { KerasCompatible = true });
        using (var on = generator.FlowFromDirectory(t.Path, new DirectoryFlowOptions { TargetSize = (48, 48), FineScaledDecode = true }))
        {
            var load = ((FileSource)on.Source).LoadOptions;
            Assert.True(load.ScaledDecode && load.FineScaledDecode);
        }
        using (var off = generator.FlowFromDirectory(t.Path, new DirectoryFlowOptions { TargetSize = (48, 48), FineScaledDecode = true, ScaledDecode = false }))
        {
            var load = ((FileSource)off.Source).LoadOptions;
            Assert.False(load.ScaledDecode || load.FineScaledDecode);
        }
        using (var auto = generator.FlowFromDirectory(t.Path, new DirectoryFlowOptions { TargetSize = (48, 48) }))
            Assert.False(((FileSource)auto.Source).LoadOptions.FineScaledDecode); // never without asking
    }
}
