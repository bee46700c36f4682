using System.Reflection;
using CsCheck;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Kernels.Photometric;

namespace Mirage.Tests.Kernels;

/// <summary>
/// The battery every kernel goes through: input not mutated, shape and channels kept, degenerate and odd sizes,
/// vector path equal to scalar path. The sweep at the bottom fails when a kernel class is not in the table.
/// </summary>
public class KernelBatteryTests
{
    /// <summary>Each entry runs one kernel from src into a fresh destination; vectorized=false forces the scalar path.</summary>
    private static readonly Dictionary<string, Action<Image<float>, Image<float>, bool>> Table = new()
    {
        ["WarpAffine"] = (s, d, v) => WarpAffine.Apply(s, d, AffineMatrix.FromKeras(17, 1.5, -2, 5, 0.9, 1.1, s.Height, s.Width, CentreConvention.PixelCentre)!.Value,
            new WarpOptions(Interpolation.Bilinear, FillMode.Reflect), v),
        ["Flip.Horizontal"] = (s, d, v) => Flip.Horizontal(s, d, v),
        ["Flip.Vertical"] = (s, d, _) => Flip.Vertical(s, d),
        ["PointOps.ShiftClamp"] = (s, d, v) => PointOps.ShiftClamp(s.Span, d.Span, 13.5f, 10f, 240f, v),
        ["PointOps.Scale"] = (s, d, v) => PointOps.Scale(s.Span, d.Span, 1f / 255, v),
        ["PointOps.Brightness"] = (s, d, v) => PointOps.Brightness(s.Span, d.Span, 1.37f, v),
    };

    /// <summary>Kernel classes covered by <see cref="Table"/> or by a battery of their own (named here).</summary>
    // Normalize (byte → float) has its own battery in Photometric/NormalizeTests; WarpAffine.ApplyToFloat in Geometric/WarpAffineFusedTests;
    // Resize (byte, Pillow-exact) in Geometric/ResizeTests (Pillow oracle, input untouched, 1x1 and odd sizes);
    // Clahe (1, 3 or 4 channels only) in Photometric/ClaheTests (scikit-image oracle, input untouched, odd sizes, vector = scalar).
    private static readonly HashSet<string> Covered = ["WarpAffine", "Flip", "PointOps", "WarpBoundary", "Normalize", "Resize", "Clahe"];

    public static TheoryData<string, int, int, int> Cases()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var name in Table.Keys)
            foreach (var (h, w, c) in new[] { (1, 1, 1), (1, 1, 3), (17, 23, 1), (17, 23, 3), (8, 5, 4), (3, 31, 5) })
                data.Add(name, h, w, c);
        return data;
    }

    private static Image<float> Random(int h, int w, int c, int seed)
    {
        var image = new Image<float>(h, w, c);
        var random = new Mirage.Randomness.RandomStream((ulong)seed);
        foreach (ref var v in image.Span) v = (float)Math.Round(random.Uniform(0, 255), 2);
        return image;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void InputUntouchedShapeKeptVectorEqualsScalar(string kernel, int h, int w, int c)
    {
        using var src = Random(h, w, c, h * 1000 + w * 10 + c);
        using var before = src.Clone();
        using var vector = new Image<float>(src.Info);
        using var scalar = new Image<float>(src.Info);
        Table[kernel](src, vector, true);
        Table[kernel](src, scalar, false);
        Assert.True(src.Span.SequenceEqual(before.Span), "the kernel wrote into its input");
        Assert.Equal(src.Info, vector.Info);
        Assert.True(vector.Span.SequenceEqual(scalar.Span), "vector and scalar paths differ");
        foreach (float v in vector.Span) Assert.True(float.IsFinite(v));
    }

    [Fact]
    public void FlipTwiceIsIdentity() =>
        Gen.Select(Gen.Int[1, 20], Gen.Int[1, 20], Gen.Int[1, 5], Gen.Int).Sample((h, w, c, seed) =>
        {
            using var src = Random(h, w, c, seed);
            using var once = new Image<float>(src.Info);
            using var twice = new Image<float>(src.Info);
            Flip.Horizontal(src, once);
            Flip.Horizontal(once, twice);
            Flip.Vertical(twice, twice); // in place
            Flip.Vertical(twice, twice);
            return twice.Span.SequenceEqual(src.Span);
        });

    [Fact]
    public void HorizontalFlipMovesPixelXToWidthMinusOneMinusX() =>
        Gen.Select(Gen.Int[1, 12], Gen.Int[1, 12], Gen.Int[1, 4]).Sample((h, w, c) =>
        {
            using var src = Random(h, w, c, h + w + c);
            using var dst = new Image<float>(src.Info);
            Flip.Horizontal(src, dst);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int k = 0; k < c; k++)
                        if (dst[y, w - 1 - x, k] != src[y, x, k]) return false;
            return true;
        });

    [Fact]
    public void BrightnessOfOneKeepsWholeValuesAndClipsTheRest()
    {
        float[] src = [-3f, 0f, 12f, 12.9f, 254.99f, 255f, 300f];
        var dst = new float[src.Length];
        PointOps.Brightness(src, dst, 1f, vectorized: false);
        Assert.Equal([0f, 0f, 12f, 12f, 254f, 255f, 255f], dst);
    }

    [Fact]
    public void ChannelShiftStaysWithinTheImagesOwnRange()
    {
        using var src = Random(9, 7, 3, 5);
        var (min, max) = PointOps.MinMax(src.Span);
        using var dst = new Image<float>(src.Info);
        PointOps.ShiftClamp(src.Span, dst.Span, 100f, min, max);
        foreach (float v in dst.Span) Assert.InRange(v, min, max);
        Assert.Equal(max, PointOps.MinMax(dst.Span).Max);
    }

    /// <summary>A new public kernel class must join the battery (the table above) before it can land.</summary>
    [Fact]
    public void EveryKernelClassIsInTheBattery()
    {
        var kernels = typeof(WarpAffine).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("Mirage.Kernels", StringComparison.Ordinal) == true
                        && t.IsClass && t.IsAbstract && t.IsSealed // static classes
                        && t.GetMethods(BindingFlags.Public | BindingFlags.Static).Length > 0)
            .Select(t => t.Name)
            .ToList();
        Assert.NotEmpty(kernels);
        var missing = kernels.Where(k => !Covered.Contains(k)).ToList();
        Assert.True(missing.Count == 0, $"kernels without a battery entry: {string.Join(", ", missing)}");
    }
}
