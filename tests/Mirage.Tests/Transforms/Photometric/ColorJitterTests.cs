using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms.Photometric;

namespace Mirage.Tests.Transforms.Photometric;

/// <summary>
/// color_jitter against torchvision 0.14's tensor functional ops on uint8 (tools/torchvision_fixtures.py), on explicit
/// factors: every adjustment, and the four in a given order, are exact (same float32 arithmetic, same truncation; the
/// contrast mean is summed in double, which on these images rounds to torch's float32 mean). The sampling: factors
/// uniform on their ranges, the 24 orders equally likely.
/// </summary>
public class ColorJitterTests
{
    private static ColorJitterParams Only(int op, double factor) => op switch
    {
        0 => new(0, 1, 2, 3, factor, 1, 1, 0),
        1 => new(1, 0, 2, 3, 1, factor, 1, 0),
        2 => new(2, 0, 1, 3, 1, 1, factor, 0),
        _ => new(3, 0, 1, 2, 1, 1, 1, factor),
    };

    /// <summary>Only adjustment <paramref name="op"/> enabled (torchvision's functional op alone).</summary>
    private static ColorJitterOptions Enabled(int op) => new()
    {
        Brightness = op == 0 ? 0.5 : 0, Contrast = op == 1 ? 0.5 : 0, Saturation = op == 2 ? 0.5 : 0, Hue = op == 3 ? 0.5 : 0,
    };

    [Theory]
    [InlineData("brightness", 0)]
    [InlineData("saturation", 2)]
    [InlineData("contrast", 1)]
    [InlineData("hue", 3)]
    public void EachAdjustmentMatchesTorchvisionExactly(string op, int index)
    {
        var jitter = new ColorJitter(Enabled(index));
        int cases = 0;
        foreach (var c in TorchvisionFixtures.Cases(op))
        {
            using var src = TorchvisionFixtures.Image(c.GetProperty("image").GetInt32());
            using var dst = new Image<byte>(src.Info);
            jitter.Apply(Only(index, c.GetProperty("factor").GetDouble()), src, dst);
            var (max, count) = TorchvisionFixtures.Compare(c.GetProperty("out").GetBytesFromBase64(), dst.Span);
            Assert.True(count == 0,
                $"{op} factor {c.GetProperty("factor").GetDouble()}: max diff {max}, {count} of {dst.Length} values differ");
            cases++;
        }
        Assert.True(cases >= 12);
    }

    [Fact]
    public void TheFourInAGivenOrderMatchTorchvisionColorJitterExactly()
    {
        foreach (var c in TorchvisionFixtures.Cases("color_jitter"))
        {
            var order = c.GetProperty("order").EnumerateArray().Select(e => (byte)e.GetInt32()).ToArray();
            double hue = c.GetProperty("hue").GetDouble();
            // the fixture runs all four ops, adjust_hue(0) included (which is not the identity on uint8)
            var options = new ColorJitterOptions { Brightness = 0.5, Contrast = 0.5, Saturation = 0.5, Hue = 0.2 };
            var p = new ColorJitterParams(order[0], order[1], order[2], order[3], c.GetProperty("brightness").GetDouble(),
                c.GetProperty("contrast").GetDouble(), c.GetProperty("saturation").GetDouble(), hue);
            using var src = TorchvisionFixtures.Image(c.GetProperty("image").GetInt32());
            using var dst = new Image<byte>(src.Info);
            new ColorJitter(options).Apply(p, src, dst);
            var (max, count) = TorchvisionFixtures.Compare(c.GetProperty("out").GetBytesFromBase64(), dst.Span);
            Assert.True(count == 0, $"order {string.Join(",", order)}: max diff {max}, {count} differ");
        }
    }

    [Fact]
    public void OrdersAreUniformAndFactorsCoverTheirRanges()
    {
        var jitter = new ColorJitter(new ColorJitterOptions { Brightness = 0.4, Contrast = 1.5, Saturation = 0.2, Hue = 0.1 });
        var counts = new int[24];
        const int n = 24_000;
        double bMin = 9, bMax = -9, cMin = 9, hSum = 0;
        var info = ImageInfo.Create(4, 4, 3);
        for (int i = 0; i < n; i++)
        {
            var random = RandomStream.For(3, 0, i);
            var p = jitter.Sample(ref random, info);
            Assert.Equal(6, p.First + p.Second + p.Third + p.Fourth);
            Assert.Equal(4, new[] { p.First, p.Second, p.Third, p.Fourth }.Distinct().Count());
            counts[Rank(p)]++;
            bMin = Math.Min(bMin, p.Brightness);
            bMax = Math.Max(bMax, p.Brightness);
            cMin = Math.Min(cMin, p.Contrast);
            Assert.InRange(p.Saturation, 0.8, 1.2);
            Assert.InRange(p.Hue, -0.1, 0.1);
            hSum += p.Hue;
        }
        Assert.InRange(bMin, 0.6, 0.61);
        Assert.InRange(bMax, 1.39, 1.4);
        Assert.InRange(cMin, 0, 0.01); // max(0, 1 - 1.5)
        Assert.InRange(hSum / n, -0.002, 0.002);
        Assert.True(Statistics.ChiSquare(counts, Enumerable.Repeat(1.0 / 24, 24).ToArray()) < Statistics.ChiSquareCritical999(23));
    }

    private static int Rank(ColorJitterParams p)
    {
        var order = new[] { p.First, p.Second, p.Third, p.Fourth };
        int rank = 0;
        var left = new List<byte> { 0, 1, 2, 3 };
        int[] fact = [6, 2, 1, 1];
        for (int i = 0; i < 4; i++)
        {
            int k = left.IndexOf(order[i]);
            rank += k * fact[i];
            left.RemoveAt(k);
        }
        return rank;
    }

    [Fact]
    public void ZeroOptionsLeaveTheImageAlone()
    {
        using var src = TorchvisionFixtures.Image(0);
        using var dst = new Image<byte>(src.Info);
        var jitter = new ColorJitter(new ColorJitterOptions());
        var random = new RandomStream(1);
        jitter.Apply(jitter.Sample(ref random, src.Info), src, dst);
        Assert.True(src.Span.SequenceEqual(dst.Span));
    }

    [Fact]
    public void OptionsOutOfRangeNameTheOption()
    {
        var e = Assert.Throws<ArgumentException>(() => new ColorJitterOptions { Hue = 0.7 });
        Assert.Contains("color_jitter: option 'hue' must be in [0, 0.5], got 0.7", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ColorJitterOptions { Contrast = -1 });
        Assert.Contains("'contrast'", e.Message);
    }
}
