using static Mirage.Tests.Kernels.Geometric.WarpTestData;
using static Mirage.Tests.Kernels.TestImages;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;

namespace Mirage.Tests.Kernels.Geometric;

public class WarpAffineTests
{

    public static TheoryData<Interpolation, FillMode, bool> AllOptions()
    {
        var data = new TheoryData<Interpolation, FillMode, bool>();
        foreach (var order in new[] { Interpolation.Nearest, Interpolation.Bilinear })
            foreach (var fill in Fills)
                foreach (bool keras in new[] { false, true })
                    data.Add(order, fill, keras);
        return data;
    }

    private static AffineMatrix RandomMatrix(ref RandomStream rng, int h, int w) =>
        AffineMatrix.FromKeras(rng.Uniform(-180, 180), rng.Uniform(-8, 8), rng.Uniform(-8, 8), rng.Uniform(-30, 30),
            rng.Uniform(0.5, 2.0), rng.Uniform(0.5, 2.0), h, w, CentreConvention.PixelCentre) ?? AffineMatrix.Identity;

    [Theory]
    [MemberData(nameof(AllOptions))]
    public void InputIsNotMutatedAndShapeIsKept(Interpolation order, FillMode fill, bool keras)
    {
        var options = new WarpOptions(order, fill, 12.5f, keras);
        var m = AffineMatrix.FromKeras(33, 2, -3, 8, 1.3, 0.8, 17, 23, options.Centre)!.Value;
        using var src = RandomFloat(17, 23, 3, 1);
        using var before = src.Clone();
        using var dst = new Image<float>(src.Info);
        WarpAffine.Apply(src, dst, m, options);
        Assert.True(src.Span.SequenceEqual(before.Span));
        Assert.Equal(src.Info, dst.Info);

        using var bsrc = RandomByte(17, 23, 3, 2);
        using var bbefore = bsrc.Clone();
        using var bdst = new Image<byte>(bsrc.Info);
        WarpAffine.Apply(bsrc, bdst, m, options);
        Assert.True(bsrc.Span.SequenceEqual(bbefore.Span));
        Assert.Equal(bsrc.Info, bdst.Info);
    }

    [Theory]
    [MemberData(nameof(AllOptions))]
    public void VectorPathEqualsScalarPath(Interpolation order, FillMode fill, bool keras)
    {
        var rng = new RandomStream(42);
        var options = new WarpOptions(order, fill, 37.5f, keras);
        foreach (var (h, w) in new[] { (1, 1), (2, 3), (17, 23), (48, 64), (5, 1) })
        {
            for (int c = 1; c <= 5; c++)
            {
                for (int trial = 0; trial < 3; trial++)
                {
                    var m = RandomMatrix(ref rng, h, w);
                    using var src = RandomFloat(h, w, c, rng.NextUInt64());
                    using var v = new Image<float>(src.Info);
                    using var s = new Image<float>(src.Info);
                    WarpAffine.Apply(src, v, m, options, vectorized: true);
                    WarpAffine.Apply(src, s, m, options, vectorized: false);
                    Assert.True(v.Span.SequenceEqual(s.Span), $"float {h}x{w}x{c} {m}");

                    using var bsrc = RandomByte(h, w, c, rng.NextUInt64());
                    using var bv = new Image<byte>(bsrc.Info);
                    using var bs = new Image<byte>(bsrc.Info);
                    WarpAffine.Apply(bsrc, bv, m, options, vectorized: true);
                    WarpAffine.Apply(bsrc, bs, m, options, vectorized: false);
                    Assert.True(bv.Span.SequenceEqual(bs.Span), $"byte {h}x{w}x{c} {m}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllOptions))]
    public void BytePathIsWithinOneOfFloatPath(Interpolation order, FillMode fill, bool keras)
    {
        var rng = new RandomStream(7);
        var options = new WarpOptions(order, fill, 37.5f, keras);
        foreach (var (h, w, c) in new[] { (17, 23, 3), (31, 29, 1), (20, 20, 4), (1, 1, 3) })
        {
            var m = RandomMatrix(ref rng, h, w);
            using var bsrc = RandomByte(h, w, c, rng.NextUInt64());
            using var fsrc = ImageConvert.ToFloat(bsrc);
            using var b = new Image<byte>(bsrc.Info);
            using var f = new Image<float>(bsrc.Info);
            WarpAffine.Apply(bsrc, b, m, options);
            WarpAffine.Apply(fsrc, f, m, options);
            for (int i = 0; i < b.Length; i++)
                Assert.True(Math.Abs(b.Span[i] - f.Span[i]) <= 1f, $"{h}x{w}x{c} [{i}]: byte {b.Span[i]}, float {f.Span[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(AllOptions))]
    public void IdentityCopies(Interpolation order, FillMode fill, bool keras)
    {
        foreach (var (h, w) in new[] { (1, 1), (17, 23) })
        {
            using var src = RandomFloat(h, w, 3, 3);
            using var dst = new Image<float>(src.Info);
            WarpAffine.Apply(src, dst, AffineMatrix.Identity, new WarpOptions(order, fill, 99f, keras));
            Assert.True(dst.Span.SequenceEqual(src.Span));
            using var bsrc = RandomByte(h, w, 2, 4);
            using var bdst = new Image<byte>(bsrc.Info);
            WarpAffine.Apply(bsrc, bdst, AffineMatrix.Identity, new WarpOptions(order, fill, 99f, keras));
            Assert.True(bdst.Span.SequenceEqual(bsrc.Span));
        }
    }

    [Theory]
    [InlineData(Interpolation.Nearest, 90)]
    [InlineData(Interpolation.Bilinear, 90)]
    [InlineData(Interpolation.Nearest, 180)]
    [InlineData(Interpolation.Bilinear, 180)]
    [InlineData(Interpolation.Bilinear, -90)]
    public void QuarterTurnsAboutThePixelCentreArePermutations(Interpolation order, double degrees)
    {
        // Square for quarter turns, odd non-square for the half turn; integer-valued pixels so float is exact.
        int h = Math.Abs(degrees) == 90 ? 19 : 17, w = Math.Abs(degrees) == 90 ? 19 : 23;
        using var src = new Image<float>(h, w, 3);
        for (int i = 0; i < src.Length; i++) src.Span[i] = i % 251;
        using var dst = new Image<float>(src.Info);
        var m = AffineMatrix.FromKeras(degrees, 0, 0, 0, 1, 1, h, w, CentreConvention.PixelCentre)!.Value;
        WarpAffine.Apply(src, dst, m, new WarpOptions(order, FillMode.Nearest));
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                // The matrix maps output (r, c) to the input it samples.
                var (sr, sc) = degrees switch
                {
                    90 => (h - 1 - c, r),
                    -90 => (c, w - 1 - r),
                    _ => (h - 1 - r, w - 1 - c),
                };
                // Nearest is exact; bilinear picks up cos(90°) ≈ 6e-17 worth of a neighbour, as scipy does.
                for (int k = 0; k < 3; k++)
                    if (order == Interpolation.Nearest) Assert.Equal(src[sr, sc, k], dst[r, c, k]);
                    else Assert.Equal(src[sr, sc, k], dst[r, c, k], 1e-9f);
            }
    }

    [Theory]
    [InlineData(3, -5)]
    [InlineData(-20, 7)]
    [InlineData(40, 0)]
    public void IntegerShiftIsARollWithWrapAndEdgeReplicationWithNearest(int tx, int ty)
    {
        const int h = 17, w = 23;
        using var src = RandomFloat(h, w, 2, 5);
        using var wrap = new Image<float>(src.Info);
        using var nearest = new Image<float>(src.Info);
        var m = AffineMatrix.Shift(tx, ty);
        WarpAffine.Apply(src, wrap, m, new WarpOptions(Interpolation.Bilinear, FillMode.Wrap));
        WarpAffine.Apply(src, nearest, m, new WarpOptions(Interpolation.Bilinear, FillMode.Nearest));
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
                for (int k = 0; k < 2; k++)
                {
                    Assert.Equal(src[Mod(r + tx, h), Mod(c + ty, w), k], wrap[r, c, k]);
                    Assert.Equal(src[Math.Clamp(r + tx, 0, h - 1), Math.Clamp(c + ty, 0, w - 1), k], nearest[r, c, k]);
                }
    }

    private static int Mod(int a, int n) => ((a % n) + n) % n;

    /// <summary>Values printed by scipy 1.10.1: affine_transform of [[10, 20, 30, 40, 50]] sampled at column c.</summary>
    [Theory]
    [InlineData(FillMode.Constant, false, 1, new[] { -7.0, -7, -7, -7, -7, -7, 10, 45, 50, -7, -7, -7, -7, -7, -7, -7, -7 })]
    [InlineData(FillMode.Constant, false, 0, new[] { -7.0, -7, -7, -7, -7, -7, 10, 50, 50, -7, -7, -7, -7, -7, -7, -7, -7 })]
    [InlineData(FillMode.Nearest, false, 1, new[] { 10.0, 10, 10, 10, 10, 10, 10, 45, 50, 50, 50, 50, 50, 50, 50, 10, 10 })]
    [InlineData(FillMode.Reflect, false, 1, new[] { 12.0, 10, 10, 10, 10, 10, 10, 45, 50, 50, 50, 50, 50, 45, 17, 40, 50 })]
    [InlineData(FillMode.Reflect, false, 0, new[] { 10.0, 10, 10, 10, 10, 10, 10, 50, 50, 50, 50, 50, 50, 50, 20, 40, 50 })]
    [InlineData(FillMode.Wrap, true, 1, new[] { 38.0, 40, 43, 45, 47, 50, 10, 45, 50, 12, 15, 17, 20, 25, 13, 50, 35 })]
    [InlineData(FillMode.Wrap, true, 0, new[] { 40.0, 40, 40, 50, 50, 50, 10, 50, 50, 10, 20, 20, 20, 30, 10, 50, 40 })]
    [InlineData(FillMode.Wrap, false, 1, new[] { 48.0, 50, 38, 30, 22, 10, 10, 45, 50, 42, 30, 22, 10, 15, 43, 20, 30 })]
    [InlineData(FillMode.Wrap, false, 0, new[] { 50.0, 50, 50, 10, 10, 10, 10, 50, 50, 50, 10, 10, 10, 20, 40, 20, 10 })]
    public void MatchesScipyAlongOneRow(FillMode fill, bool keras, int order, double[] expected)
    {
        double[] cols = [-1.2, -1.0, -0.7, -0.5, -0.3, -1e-17, 0, 3.5, 4, 4.2, 4.5, 4.7, 5, 5.5, 8.3, -4, -5.5];
        using var src = Image<float>.Wrap([10f, 20, 30, 40, 50], 1, 5, 1);
        using var bsrc = Image<byte>.Wrap([10, 20, 30, 40, 50], 1, 5, 1);
        using var dst = new Image<float>(1, 1, 1);
        var options = new WarpOptions((Interpolation)order, fill, -7f, keras);
        for (int i = 0; i < cols.Length; i++)
        {
            WarpAffine.Apply(src, dst, new AffineMatrix(1, 0, 0, 0, 1, cols[i]), options);
            Assert.True(Math.Abs(expected[i] - dst[0, 0, 0]) < 1e-4, $"c = {cols[i]}: expected {expected[i]}, got {dst[0, 0, 0]}");
        }
    }

    [Fact]
    public void AnyChannelCountEqualsWarpingEachChannelAlone()
    {
        const int h = 17, w = 23, c = 5;
        using var src = RandomFloat(h, w, c, 9);
        using var dst = new Image<float>(src.Info);
        var m = AffineMatrix.FromKeras(-25, 1.5, 3, 10, 0.9, 1.2, h, w, CentreConvention.PixelCentre)!.Value;
        var options = new WarpOptions(Interpolation.Bilinear, FillMode.Reflect);
        WarpAffine.Apply(src, dst, m, options);
        for (int k = 0; k < c; k++)
        {
            using var one = new Image<float>(h, w, 1);
            using var oneOut = new Image<float>(h, w, 1);
            for (int i = 0; i < h * w; i++) one.Span[i] = src.Span[i * c + k];
            WarpAffine.Apply(one, oneOut, m, options);
            for (int i = 0; i < h * w; i++) Assert.Equal(oneOut.Span[i], dst.Span[i * c + k]);
        }
    }

    [Fact]
    public void DestinationMayHaveAnotherSize()
    {
        using var src = RandomFloat(10, 12, 3, 11);
        using var dst = new Image<float>(5, 6, 3);
        WarpAffine.Apply(src, dst, AffineMatrix.Zoom(2, 2), new WarpOptions(Interpolation.Nearest));
        for (int r = 0; r < 5; r++)
            for (int c = 0; c < 6; c++)
                Assert.Equal(src[2 * r, 2 * c, 1], dst[r, c, 1]);
    }

    [Fact]
    public void RejectsInPlaceChannelMismatchAndNonFiniteMatrices()
    {
        using var a = new Image<float>(4, 4, 3);
        using var b = new Image<float>(4, 4, 1);
        Assert.Throws<ArgumentException>(() => WarpAffine.Apply(a, a, AffineMatrix.Identity, new WarpOptions()));
        Assert.Throws<ArgumentException>(() => WarpAffine.Apply(a, b, AffineMatrix.Identity, new WarpOptions()));
        using var c = new Image<float>(4, 4, 3);
        Assert.Throws<ArgumentException>(() => WarpAffine.Apply(a, c, new AffineMatrix(double.NaN, 0, 0, 0, 1, 0), new WarpOptions()));
    }

    [Fact]
    public void FarOutsideCoordinatesDoNotOverflow()
    {
        using var src = RandomFloat(5, 7, 3, 13);
        using var dst = new Image<float>(src.Info);
        foreach (var fill in Fills)
            foreach (var order in new[] { Interpolation.Nearest, Interpolation.Bilinear })
            {
                WarpAffine.Apply(src, dst, AffineMatrix.Shift(1e12, -3e15), new WarpOptions(order, fill, 5f));
                foreach (float v in dst.Span) Assert.True(float.IsFinite(v) && v >= 0 && v <= 255);
            }
    }
}
