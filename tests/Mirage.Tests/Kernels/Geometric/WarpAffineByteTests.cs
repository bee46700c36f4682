using Mirage.Generation;
using static Mirage.Tests.Kernels.Geometric.WarpTestData;
using static Mirage.Tests.Kernels.TestImages;
using CsCheck;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;

namespace Mirage.Tests.Kernels.Geometric;

/// <summary>
/// The byte bilinear path (fixed-point coordinates, 2-D weights): the per-row interior span against brute force, borders
/// against interior on edge-case matrices, vector path against scalar path on random matrices, within 1 of the float path.
/// </summary>
public class WarpAffineByteTests
{

    // ------------------------------------------------------------ interior span

    private static readonly Gen<double> Slopes = Gen.OneOf(
        Gen.OneOf(0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 0.25, 2.0, -3.0, 1e-12, -1e-12, 6.123233995736766e-17),
        Gen.Double[-3, 3]);

    private static readonly Gen<double> Offsets = Gen.OneOf(
        Gen.Int[-80, 80].Select(i => (double)i),
        Gen.Int[-160, 160].Select(i => i * 0.5),
        Gen.Double[-80, 80]);

    [Fact]
    public void AxisSpanIsExactlyTheColumnsWhoseCoordinateIsInside() =>
        Gen.Select(Offsets, Slopes, Offsets, Gen.Int[1, 60], Gen.Int[1, 300]).Sample((b, m1, m2, n, w) =>
        {
            int a = 0, e = w;
            WarpAffine.AxisSpan(b, m1, m2, n, ref a, ref e);
            for (int x = 0; x < w; x++)
            {
                double v = (b + x * m1) + m2;
                bool inside = v >= 0 && v <= n - 1;
                if (inside != (x >= a && x < e)) return false;
            }
            return a >= 0 && a <= e && e <= w;
        });

    [Fact]
    public void AxisSpanHitsBothEndsExactly()
    {
        // Coordinate x − 3 on an axis of 10: inside for x in [3, 12], i.e. exactly 0 at x = 3 and exactly 9 at x = 12.
        int a = 0, e = 20;
        WarpAffine.AxisSpan(-3, 1, 0, 10, ref a, ref e);
        Assert.Equal((3, 13), (a, e));
        // Decreasing: 9 − x, inside for x in [0, 9].
        a = 0; e = 20;
        WarpAffine.AxisSpan(9, -1, 0, 10, ref a, ref e);
        Assert.Equal((0, 10), (a, e));
        // Constant coordinate outside: empty; inside: everything.
        a = 0; e = 20;
        WarpAffine.AxisSpan(-1e-300, 0, 0, 10, ref a, ref e);
        Assert.Equal(a, e);
        a = 0; e = 20;
        WarpAffine.AxisSpan(0, 0, 9, 10, ref a, ref e);
        Assert.Equal((0, 20), (a, e));
    }

    // ------------------------------------------------------------ edge-case matrices

    public static TheoryData<string> EdgeMatrices() => new(
        "shift 0.5 0.25", "shift -0.25 0.75", "shift 1e-9 -1e-9", "shift -1e-9 1e-9", "shift 3 -2", "shift corner",
        "rotate 90", "rotate -90", "rotate 180", "zoom out 3", "zoom in 0.3", "flip", "shear 30", "identity");

    private static AffineMatrix Edge(string name, int h, int w) => name switch
    {
        "shift 0.5 0.25" => AffineMatrix.Shift(0.5, 0.25),
        "shift -0.25 0.75" => AffineMatrix.Shift(-0.25, 0.75),
        "shift 1e-9 -1e-9" => AffineMatrix.Shift(1e-9, -1e-9),
        "shift -1e-9 1e-9" => AffineMatrix.Shift(-1e-9, 1e-9),
        "shift 3 -2" => AffineMatrix.Shift(3, -2),
        // Samples around the bottom-right corner: the loads the vector path must not let run past the source.
        "shift corner" => AffineMatrix.Shift(h * 0.6, w * 0.6),
        "rotate 90" => AffineMatrix.FromKeras(90, 0, 0, 0, 1, 1, h, w, CentreConvention.PixelCentre)!.Value,
        "rotate -90" => AffineMatrix.FromKeras(-90, 0, 0, 0, 1, 1, h, w, CentreConvention.PixelCentre)!.Value,
        "rotate 180" => AffineMatrix.FromKeras(180, 0, 0, 0, 1, 1, h, w, CentreConvention.PixelCentre)!.Value,
        "zoom out 3" => AffineMatrix.FromKeras(0, 0, 0, 0, 3, 3, h, w, CentreConvention.PixelCentre)!.Value,
        "zoom in 0.3" => AffineMatrix.FromKeras(0, 0, 0, 0, 0.3, 0.3, h, w, CentreConvention.PixelCentre)!.Value,
        "flip" => new AffineMatrix(1, 0, 0, 0, -1, w - 1),
        "shear 30" => AffineMatrix.FromKeras(0, 0, 0, 30, 1, 1, h, w, CentreConvention.PixelCentre)!.Value,
        _ => AffineMatrix.Identity,
    };

    private static readonly (int H, int W)[] EdgeSizes = [(1, 1), (1, 37), (37, 1), (2, 2), (2, 40), (17, 23), (40, 40)];

    [Theory]
    [MemberData(nameof(EdgeMatrices))]
    public void BordersAndInteriorAgreeOnEdgeCaseMatrices(string name)
    {
        ulong seed = 1;
        foreach (var (h, w) in EdgeSizes)
            foreach (int c in new[] { 1, 3, 4 })
                foreach (var fill in Fills)
                {
                    var m = Edge(name, h, w);
                    var options = new WarpOptions(Interpolation.Bilinear, fill, Cval);
                    using var src = RandomByte(h, w, c, seed++);
                    using var warped = WarpThreeWays(src, m, options);
                    var (v, s, f) = warped;
                    string where = $"{name} {h}x{w}x{c} {fill}";
                    Assert.True(v.Span.SequenceEqual(s.Span), $"vector != scalar: {where}");
                    for (int r = 0; r < h; r++)
                        for (int x = 0; x < w; x++)
                        {
                            double sr = (r * m.M00 + x * m.M01) + m.M02, sc = (r * m.M10 + x * m.M11) + m.M12;
                            bool outside = !(sr >= 0 && sr <= h - 1 && sc >= 0 && sc <= w - 1);
                            for (int k = 0; k < c; k++)
                            {
                                byte b = v[r, x, k];
                                if (fill == FillMode.Constant && outside) Assert.True(b == 38, $"{where} ({r}, {x}) outside: {b}, not cval");
                                else Assert.True(Math.Abs(b - f[r, x, k]) <= 1f, $"{where} ({r}, {x}, {k}): byte {b}, float {f[r, x, k]}");
                            }
                        }
                }
    }

    [Theory]
    [MemberData(nameof(EdgeMatrices))]
    public void FlatImagesStayExactlyFlat(string name)
    {
        // The 2-D weights sum to One, so a flat region is reproduced exactly (fill nearest: everywhere).
        foreach (var (h, w) in EdgeSizes)
            foreach (int c in new[] { 1, 3 })
            {
                using var src = new Image<byte>(h, w, c);
                src.Span.Fill(201);
                using var dst = new Image<byte>(src.Info);
                WarpAffine.Apply(src, dst, Edge(name, h, w), new WarpOptions(Interpolation.Bilinear, FillMode.Nearest));
                Assert.All(dst.Span.ToArray(), b => Assert.Equal(201, b));
            }
    }

    [Fact]
    public void ZoomOutFillsALargeRegionWithCvalAndKeepsTheCentre()
    {
        const int h = 48, w = 64;
        using var src = RandomByte(h, w, 3, 77);
        using var dst = new Image<byte>(src.Info);
        var m = AffineMatrix.FromKeras(0, 0, 0, 0, 4, 4, h, w, CentreConvention.PixelCentre)!.Value;
        WarpAffine.Apply(src, dst, m, new WarpOptions(Interpolation.Bilinear, FillMode.Constant, 7f));
        int cvals = 0;
        foreach (byte b in dst.Span) cvals += b == 7 ? 1 : 0;
        Assert.True(cvals > dst.Length * 3 / 4, $"{cvals} of {dst.Length}");
        // The centre is interpolated inside the source, within 1 of the float path.
        using var fsrc = ImageConvert.ToFloat(src);
        using var f = new Image<float>(src.Info);
        WarpAffine.Apply(fsrc, f, m, new WarpOptions(Interpolation.Bilinear, FillMode.Constant, 7f));
        for (int k = 0; k < 3; k++) Assert.True(Math.Abs(dst[24, 32, k] - f[24, 32, k]) <= 1f);
    }

    // ------------------------------------------------------------ random matrices

    [Fact]
    public void VectorEqualsScalarAndIsWithinOneOfFloatOnRandomMatrices() =>
        Gen.Select(Gen.Int[1, 45], Gen.Int[1, 45], Gen.OneOf(1, 2, 3, 4, 5), Gen.Int[0, 3], Gen.Bool, Matrices, Gen.ULong)
            .Sample((h, w, c, fill, keras, m, seed) =>
            {
                var options = new WarpOptions(Interpolation.Bilinear, Fills[fill], Cval, keras);
                using var src = RandomByte(h, w, c, seed);
                using var warped = WarpThreeWays(src, m, options);
                var (v, s, f) = warped;
                if (!v.Span.SequenceEqual(s.Span)) return false;
                for (int i = 0; i < v.Length; i++)
                    if (Math.Abs(v.Span[i] - f.Span[i]) > 1f) return false;
                // The fused byte → float path takes the same rows.
                var fused = new float[src.Length];
                WarpAffine.ApplyToFloat(src, fused, h, w, DataFormat.ChannelsFirst, m, options, [2f], [-1f], vectorized: true);
                for (int r = 0; r < h; r++)
                    for (int x = 0; x < w; x++)
                        for (int k = 0; k < c; k++)
                            if (fused[(k * h + r) * w + x] != v[r, x, k] * 2f - 1f) return false;
                return true;
            }, iter: 300);

    [Theory]
    [InlineData(3, 11000, 3)]  // row stride above 2^15 bytes: offsets with pmulld, not pmaddwd
    [InlineData(5, 2100, 4)]   // coordinate tables too long for the stack
    [InlineData(300, 9, 1)]
    public void WideAndTallImagesTakeTheSamePathsAsTheScalarCode(int h, int w, int c)
    {
        var rng = new RandomStream((ulong)(h * w));
        using var src = RandomByte(h, w, c, 5);
        using var v = new Image<byte>(src.Info);
        using var s = new Image<byte>(src.Info);
        foreach (var fill in Fills)
            for (int trial = 0; trial < 3; trial++)
            {
                var m = AffineMatrix.FromKeras(rng.Uniform(-5, 5), rng.Uniform(-2, 2), rng.Uniform(-2, 2), 0,
                    rng.Uniform(0.9, 1.1), rng.Uniform(0.9, 1.1), h, w, CentreConvention.PixelCentre)!.Value;
                var options = new WarpOptions(Interpolation.Bilinear, fill, Cval);
                WarpAffine.Apply(src, v, m, options, vectorized: true);
                WarpAffine.Apply(src, s, m, options, vectorized: false);
                Assert.True(v.Span.SequenceEqual(s.Span), $"{h}x{w}x{c} {fill} {m}");
            }
    }

    [Fact]
    public void BandsAndTilesGiveTheSameBytesAsWholeRows()
    {
        // The kernel runs over bands of rows tile by tile; traversal order must not change a byte (row-by-row,
        // whole rows is the reference). Band and tile sizes are the caller's KernelSettings (a configuration's).
        var rng = new RandomStream(21);
        foreach (var (h, w) in new[] { (17, 200), (130, 150), (9, 300), (70, 65) })
            foreach (int c in new[] { 1, 3, 4 })
                foreach (var fill in Fills)
                {
                    using var src = RandomByte(h, w, c, rng.NextUInt64());
                    var m = AffineMatrix.FromKeras(rng.Uniform(-60, 60), rng.Uniform(-0.3, 0.3) * h, rng.Uniform(-0.3, 0.3) * w,
                        rng.Uniform(-20, 20), rng.Uniform(0.7, 1.4), rng.Uniform(0.7, 1.4), h, w, CentreConvention.PixelCentre)!.Value;
                    var options = new WarpOptions(Interpolation.Bilinear, fill, Cval);
                    using var tiled = new Image<byte>(src.Info);
                    using var odd = new Image<byte>(src.Info);
                    using var rows = new Image<byte>(src.Info);
                    WarpAffine.Apply(src, tiled, m, options); // the defaults: bands of 8, tiles of 64
                    WarpAffine.Apply(src, odd, m, options, KernelSettings.Default with { BandRows = 3, TileWidth = 17 });
                    WarpAffine.Apply(src, rows, m, options, KernelSettings.Default with { BandRows = 1, TileWidth = 0 });
                    Assert.True(tiled.Span.SequenceEqual(rows.Span), $"{h}x{w}x{c} {fill} {m}");
                    Assert.True(odd.Span.SequenceEqual(rows.Span), $"3x17 tiles: {h}x{w}x{c} {fill} {m}");
                }
    }

    [Fact]
    public void FarAwayAndSteepMatricesFallBackToTheDoublePath()
    {
        using var src = RandomByte(9, 13, 3, 8);
        using var fsrc = ImageConvert.ToFloat(src);
        using var v = new Image<byte>(src.Info);
        using var s = new Image<byte>(src.Info);
        using var f = new Image<float>(src.Info);
        AffineMatrix[] matrices =
        [
            AffineMatrix.Shift(1e12, -3e15),
            AffineMatrix.Shift(5e4, 0),              // rows beyond the fixed-point range
            new AffineMatrix(1, 1e7, 0, 0, 1, 0),    // a column step beyond the coordinate tables' range
            new AffineMatrix(0.5, 3e4, -2e5, 0, 1, 0),
        ];
        foreach (var m in matrices)
            foreach (var fill in Fills)
            {
                var options = new WarpOptions(Interpolation.Bilinear, fill, Cval);
                WarpAffine.Apply(src, v, m, options, vectorized: true);
                WarpAffine.Apply(src, s, m, options, vectorized: false);
                WarpAffine.Apply(fsrc, f, m, options);
                Assert.True(v.Span.SequenceEqual(s.Span), $"{fill} {m}");
                for (int i = 0; i < v.Length; i++) Assert.True(Math.Abs(v.Span[i] - f.Span[i]) <= 1f, $"{fill} {m} [{i}]");
            }
    }
}
