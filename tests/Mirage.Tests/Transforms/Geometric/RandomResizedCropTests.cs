using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Geometric;

namespace Mirage.Tests.Transforms.Geometric;

/// <summary>
/// random_resized_crop against torchvision 0.14's F.resized_crop (bilinear) on explicit crops: antialias=True within
/// 1 level (torch resizes in float and rounds; Mirage's Pillow-exact resize blends in fixed point), antialias=False
/// within 1 level (one bilinear warp, 11-bit fixed-point weights). The sampling: area and log-ratio distributions,
/// crops inside the image, and torchvision's centre-crop fallback.
/// </summary>
public class RandomResizedCropTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ResizedCropMatchesTorchvision(bool antialias)
    {
        int cases = 0;
        foreach (var c in TorchvisionFixtures.Cases("resized_crop").Where(c => c.GetProperty("antialias").GetBoolean() == antialias))
        {
            var size = c.GetProperty("size");
            var t = new RandomResizedCrop(new RandomResizedCropOptions { Size = new Size(size[0].GetInt32(), size[1].GetInt32()), Antialias = antialias });
            var p = new CropParams(c.GetProperty("top").GetInt32(), c.GetProperty("left").GetInt32(), c.GetProperty("height").GetInt32(), c.GetProperty("width").GetInt32());
            using var src = TorchvisionFixtures.Image(c.GetProperty("image").GetInt32());
            using var dst = new Image<byte>(t.OutputInfo(p, src.Info));
            t.Apply(p, src, dst);
            var (max, count) = TorchvisionFixtures.Compare(c.GetProperty("out").GetBytesFromBase64(), dst.Span);
            Assert.True(max <= 1, $"crop {p} → {dst.Info}, antialias {antialias}: max diff {max} ({count} of {dst.Length} differ)");
            cases++;
        }
        Assert.Equal(10, cases);
    }

    [Fact]
    public void SampledCropsFollowTorchvisionsDistributions()
    {
        var t = new RandomResizedCrop(new RandomResizedCropOptions { Size = new Size(32, 32), Scale = new Interval(0.3, 0.7), Ratio = new Interval(0.75, 4.0 / 3) });
        var info = ImageInfo.Create(400, 400, 3);
        const int n = 20_000;
        var areaBins = new int[10];
        var logRatioBins = new int[10];
        double lo = Math.Log(0.75), hi = Math.Log(4.0 / 3);
        for (int i = 0; i < n; i++)
        {
            var random = RandomStream.For(11, 1, i);
            var p = t.Sample(ref random, info);
            Assert.InRange(p.Top, 0, info.Height - p.Height);
            Assert.InRange(p.Left, 0, info.Width - p.Width);
            double area = (double)p.Height * p.Width / (info.Height * info.Width);
            // rounding of the sides moves the area by < 1% at this size
            areaBins[Math.Clamp((int)((area - 0.3) / 0.04), 0, 9)]++;
            logRatioBins[Math.Clamp((int)((Math.Log((double)p.Width / p.Height) - lo) / (hi - lo) * 10), 0, 9)]++;
        }
        var uniform = Enumerable.Repeat(0.1, 10).ToArray();
        // Side rounding blurs bin edges slightly, so compare against a looser bound than the 99.9% point.
        Assert.True(Statistics.ChiSquare(areaBins, uniform) < 3 * Statistics.ChiSquareCritical999(9), string.Join(",", areaBins));
        Assert.True(Statistics.ChiSquare(logRatioBins, uniform) < 3 * Statistics.ChiSquareCritical999(9), string.Join(",", logRatioBins));
    }

    [Fact]
    public void TopAndLeftAreUniformOverTheValidPositions()
    {
        var t = new RandomResizedCrop(new RandomResizedCropOptions { Scale = new Interval(0.25, 0.25), Ratio = new Interval(1, 1) });
        var info = ImageInfo.Create(20, 20, 1); // crop 10x10: top and left in 0..10
        var tops = new int[11];
        for (int i = 0; i < 11_000; i++)
        {
            var random = RandomStream.For(2, 0, i);
            var p = t.Sample(ref random, info);
            Assert.Equal((10, 10), (p.Height, p.Width));
            tops[p.Top]++;
        }
        Assert.True(Statistics.ChiSquare(tops, Enumerable.Repeat(1.0 / 11, 11).ToArray()) < Statistics.ChiSquareCritical999(10));
    }

    [Theory]
    [InlineData(100, 100, 2.0, 3.0, 25, 0, 50, 100)]   // wider ratios than the image: full width, height w / min ratio
    [InlineData(100, 100, 0.2, 0.4, 0, 30, 100, 40)]    // narrower: full height, width h · max ratio
    public void AfterTenFailedTriesTheCentreCropIsTaken(int h, int w, double rLow, double rHigh, int top, int left, int ch, int cw)
    {
        // scale [1, 1] with a ratio the image does not have: every try's crop is larger than the image
        var t = new RandomResizedCrop(new RandomResizedCropOptions { Scale = new Interval(1, 1), Ratio = new Interval(rLow, rHigh) });
        for (ulong seed = 0; seed < 20; seed++)
        {
            var random = new RandomStream(seed);
            var p = t.Sample(ref random, ImageInfo.Create(h, w, 3));
            Assert.Equal(new CropParams(top, left, ch, cw), p);
        }
    }

    [Fact]
    public void TheFallbackOfAnImageInsideTheRatioRangeIsTheWholeImage() =>
        Assert.Equal(new CropParams(0, 0, 60, 90), RandomResizedCrop.CentreCrop(60, 90, new Interval(1, 2)));

    [Fact]
    public void KeypointsMoveWithTheCrop()
    {
        var t = new RandomResizedCrop(new RandomResizedCropOptions { Size = new Size(20, 40) });
        var p = new CropParams(10, 20, 10, 20); // 2× in both directions
        Span<Mirage.Geometry.Keypoint> k = [new(10, 20), new(14.75, 29.75)];
        t.ApplyToKeypoints(p, ImageInfo.Create(50, 60, 3), k);
        Assert.Equal(0.5, k[0].Row, 9);  // the crop's corner pixel centre lands half a pixel in (pixel-centre scaling)
        Assert.Equal(0.5, k[0].Col, 9);
        Assert.Equal(10, k[1].Row, 9);
        Assert.Equal(20, k[1].Col, 9);
    }
}
