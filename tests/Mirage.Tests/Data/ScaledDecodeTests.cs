using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;

namespace Mirage.Tests.Data;

public class ScaledDecodeTests
{
    private static void WriteJpeg(string path, int h, int w)
    {
        using var img = new Image<byte>(h, w, 3);
        var s = img.Span;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = (y * w + x) * 3;
                s[i] = (byte)(x * 255 / w);
                s[i + 1] = (byte)(y * 255 / h);
                s[i + 2] = (byte)((x / 40 + y / 40) % 2 * 200);
            }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ImageEncoder.Save(img, path, ImageFormat.Jpeg, 90);
    }

    private static bool Turbo => ImageDecoder.JpegDecoder == "libjpeg-turbo";

    [Fact]
    public void DecodesAtAReducedScaleOnlyWhenTheSourceIsAtLeastTwiceTheTarget()
    {
        using var t = new TempDir();
        WriteJpeg(t["big.jpg"], 480, 640);
        using (var small = ImageDecoder.DecodeForTarget(t["big.jpg"], ColorMode.Rgb, 64, 48))
        {
            if (Turbo)
            {
                Assert.True(small.Width >= 64 && small.Height >= 48);
                Assert.True(small.Width <= 640 / 4, $"{small.Info}: expected a DCT-scaled decode");
            }
            else Assert.Equal((480, 640), (small.Height, small.Width));
        }
        // 640×480 to 400×300: less than 2× on both axes, full decode.
        using (var full = ImageDecoder.DecodeForTarget(t["big.jpg"], ColorMode.Rgb, 400, 300))
            Assert.Equal((480, 640), (full.Height, full.Width));
        // 2× on one axis only: full decode.
        using (var full = ImageDecoder.DecodeForTarget(t["big.jpg"], ColorMode.Rgb, 320, 241))
            Assert.Equal((480, 640), (full.Height, full.Width));
    }

    [Fact]
    public void ScaledLoadGivesTheTargetShapeAndThePictureOfTheFullDecode()
    {
        using var t = new TempDir();
        WriteJpeg(t["big.jpg"], 480, 640);
        var full = new ImageLoadOptions((60, 80), ColorMode.Rgb, ResizeInterpolation.Bilinear);
        using var a = full.LoadBytes(t["big.jpg"]);
        using var b = (full with { ScaledDecode = true }).LoadBytes(t["big.jpg"]);
        Assert.Equal(a.Info, b.Info);
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += Math.Abs(a.Span[i] - b.Span[i]);
        Assert.True(sum / a.Length < 8, $"mean absolute difference {sum / a.Length}");
    }

    [Fact]
    public void DefaultIsOnForFastGeneratorsOffForKerasCompatibleAndWithoutAGenerator()
    {
        using var t = new TempDir();
        WriteJpeg(t["a/x.jpg"], 40, 40);
        var opts = new DirectoryFlowOptions { TargetSize = (8, 8), Epochs = 1 };
        static bool Scaled<T>(BatchIterator<T> it) where T : unmanaged => ((FileSource)it.Source).LoadOptions.ScaledDecode;
        using (var it = new ImageDataGenerator().FlowFromDirectory(t.Path, opts)) Assert.True(Scaled(it));
        using (var it = new ImageDataGenerator(new() { KerasCompatible = true }).FlowFromDirectory(t.Path, opts)) Assert.False(Scaled(it));
        using (var it = DataPipeline.FromDirectory<float>(t.Path, null, opts)) Assert.False(Scaled(it));
        using (var it = new ImageDataGenerator().FlowFromDirectory(t.Path, opts with { ScaledDecode = false })) Assert.False(Scaled(it));
        using (var it = DataPipeline.FromDirectory<float>(t.Path, null, opts with { ScaledDecode = true })) Assert.True(Scaled(it));
        using var table = new ImageDataGenerator().FlowFromDataFrame(Table.FromCsv(WriteCsv(t)), new TableFlowOptions
        {
            Directory = t.Path, TargetSize = (8, 8), ClassMode = ClassMode.None, Epochs = 1,
        });
        Assert.True(Scaled(table));
    }

    private static string WriteCsv(TempDir t)
    {
        File.WriteAllText(t["t.csv"], "filename\na/x.jpg\n");
        return t["t.csv"];
    }
}
