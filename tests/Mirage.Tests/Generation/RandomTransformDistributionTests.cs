using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms;

namespace Mirage.Tests.Generation;

public class RandomTransformDistributionTests
{
    private const int Draws = 10_000;
    private static readonly ImageInfo Shape = new(40, 100, 3); // height ≠ width, so a swapped axis shows

    private static List<TransformParameters> Sample(ImageDataGeneratorOptions options, ulong seed = 7, ImageInfo? shape = null)
    {
        var gen = new ImageDataGenerator(options);
        var random = new RandomStream(seed);
        var list = new List<TransformParameters>(Draws);
        for (int i = 0; i < Draws; i++) list.Add(gen.GetRandomTransform(shape ?? Shape, ref random));
        return list;
    }

    /// <summary>Values stay in [lo, hi), reach within 1% of both ends and (when symmetric) average ≈ 0.</summary>
    private static void AssertFills(IEnumerable<double> values, double lo, double hi)
    {
        var v = values.ToArray();
        double span = hi - lo;
        Assert.All(v, x => Assert.InRange(x, lo, hi));
        Assert.True(v.Min() < lo + 0.01 * span, $"min {v.Min()} not near {lo}");
        Assert.True(v.Max() > hi - 0.01 * span, $"max {v.Max()} not near {hi}");
        // mean of a uniform: (lo + hi)/2 with standard error span/sqrt(12·n); allow 5 standard errors
        Assert.InRange(v.Average(), (lo + hi) / 2 - 5 * span / Math.Sqrt(12.0 * v.Length), (lo + hi) / 2 + 5 * span / Math.Sqrt(12.0 * v.Length));
    }

    [Fact]
    public void DefaultsChangeNothing()
    {
        Assert.All(Sample(new()), p => Assert.Equal(TransformParameters.Identity, p));
    }

    [Fact]
    public void RotationIsUniformInMinusRToR()
    {
        var draws = Sample(new() { RotationRange = 40 });
        AssertFills(draws.Select(p => p.Theta), -40, 40);
        Assert.All(draws, p => Assert.Equal(0, p.Tx));
    }

    [Fact]
    public void ShearIsUniformInMinusSToS() => AssertFills(Sample(new() { ShearRange = 20 }).Select(p => p.Shear), -20, 20);

    [Fact]
    public void FloatShiftBelowOneScalesByTheRightAxis()
    {
        // height_shift_range → tx in rows × height (40); width_shift_range → ty in columns × width (100).
        var draws = Sample(new() { HeightShiftRange = 0.2, WidthShiftRange = 0.3 });
        AssertFills(draws.Select(p => p.Tx), -0.2 * 40, 0.2 * 40);
        AssertFills(draws.Select(p => p.Ty), -0.3 * 100, 0.3 * 100);
    }

    [Fact]
    public void FloatShiftOfOneOrMoreIsPixels()
    {
        var draws = Sample(new() { WidthShiftRange = 5.0 });
        AssertFills(draws.Select(p => p.Ty), -5, 5);
        Assert.Contains(draws, p => p.Ty != Math.Round(p.Ty)); // uniform, not whole pixels
    }

    [Fact]
    public void IntegerShiftGivesWholePixelsFromMinusNMinusOneToNMinusOne()
    {
        var draws = Sample(new() { HeightShiftRange = ShiftRange.Integer(4) });
        var values = draws.Select(p => p.Tx).ToHashSet();
        Assert.Equal(new HashSet<double> { -3, -2, -1, 0, 1, 2, 3 }, values);
    }

    [Fact]
    public void ListShiftGivesOnlyPlusMinusListedValues()
    {
        var pixels = Sample(new() { WidthShiftRange = ShiftRange.Choices(2, 5) }).Select(p => p.Ty).ToHashSet();
        Assert.Equal(new HashSet<double> { -5, -2, 2, 5 }, pixels);

        // All below 1: fractions of the size (width 100 for ty, height 40 for tx).
        var fractions = Sample(new() { WidthShiftRange = ShiftRange.Choices(0.1, 0.25), HeightShiftRange = ShiftRange.Choices(0.5) });
        Assert.Equal(new HashSet<double> { -25, -10, 10, 25 }, fractions.Select(p => p.Ty).ToHashSet());
        Assert.Equal(new HashSet<double> { -20, 20 }, fractions.Select(p => p.Tx).ToHashSet());
    }

    [Fact]
    public void ZoomDrawsAreIndependentAndInRange()
    {
        var draws = Sample(new() { ZoomRange = (0.8, 1.2) });
        AssertFills(draws.Select(p => p.Zx), 0.8, 1.2);
        AssertFills(draws.Select(p => p.Zy), 0.8, 1.2);
        Assert.All(draws, p => Assert.True(p.Zx < 1.2 && p.Zy < 1.2)); // half-open [lo, hi)
        double mx = draws.Average(p => p.Zx), my = draws.Average(p => p.Zy);
        double cov = draws.Average(p => (p.Zx - mx) * (p.Zy - my));
        double var = 0.4 * 0.4 / 12;
        Assert.InRange(cov / var, -0.05, 0.05); // correlation ≈ 0 (standard error 0.01)
        Assert.Contains(draws, p => p.Zx != p.Zy);
    }

    [Fact]
    public void FlipsHappenHalfTheTimeWhenEnabled()
    {
        var draws = Sample(new() { HorizontalFlip = true, VerticalFlip = true });
        Assert.InRange(draws.Count(p => p.FlipHorizontal), 4800, 5200); // 4 standard errors
        Assert.InRange(draws.Count(p => p.FlipVertical), 4800, 5200);
        Assert.All(Sample(new() { HorizontalFlip = true }), p => Assert.False(p.FlipVertical));
    }

    [Fact]
    public void ChannelShiftAndBrightnessOnlyWhenSet()
    {
        Assert.All(Sample(new()), p =>
        {
            Assert.Null(p.ChannelShiftIntensity);
            Assert.Null(p.Brightness);
        });
        var draws = Sample(new() { ChannelShiftRange = 30, BrightnessRange = (0.5, 1.5) });
        AssertFills(draws.Select(p => p.ChannelShiftIntensity!.Value), -30, 30);
        AssertFills(draws.Select(p => p.Brightness!.Value), 0.5, 1.5);
    }

    [Fact]
    public void SameSeedSameParametersDifferentSeedsDiffer()
    {
        var gen = new ImageDataGenerator(new() { RotationRange = 30, WidthShiftRange = 0.2, ZoomRange = (0.9, 1.1), HorizontalFlip = true, BrightnessRange = (0.8, 1.2) });
        Assert.Equal(gen.GetRandomTransform(Shape, 42UL), gen.GetRandomTransform(Shape, 42UL));
        Assert.NotEqual(gen.GetRandomTransform(Shape, 42UL), gen.GetRandomTransform(Shape, 43UL));
        Assert.NotEqual(gen.GetRandomTransform(Shape), gen.GetRandomTransform(Shape)); // fresh OS seeds
    }

    [Fact]
    public void RandomTransformReturnsTheParametersItApplied()
    {
        // No geometric change (WarpAffine is not in this branch): flips and channel shift only.
        var gen = new ImageDataGenerator(new() { HorizontalFlip = true, VerticalFlip = true, ChannelShiftRange = 10 });
        using var src = new Image<float>(3, 4, 2);
        for (int i = 0; i < src.Length; i++) src.Span[i] = i * 3;
        for (ulong seed = 0; seed < 8; seed++)
        {
            var random = new RandomStream(seed);
            using var dst = new Image<float>(src.Info);
            var applied = gen.RandomTransform(src, dst, ref random);
            using var replay = gen.ApplyTransform(src, applied);
            Assert.Equal(replay.Span.ToArray(), dst.Span.ToArray());
            var again = new RandomStream(seed);
            Assert.Equal(applied, gen.GetRandomTransform(src.Info, ref again));
        }
    }
}
