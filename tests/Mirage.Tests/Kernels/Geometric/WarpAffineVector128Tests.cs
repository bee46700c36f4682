using static Mirage.Tests.Kernels.Geometric.WarpTestData;
using static Mirage.Tests.Kernels.TestImages;
using System.Runtime.InteropServices;
using CsCheck;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;

namespace Mirage.Tests.Kernels.Geometric;

/// <summary>
/// The 128-bit paths (machines without AVX2, ARM64), forced on this machine: the byte bilinear kernel with both its
/// blends (SSSE3 and the portable one ARM64 runs) and the order-0 byte path must give exactly the scalar path's bytes,
/// also through the fused byte → float warp in both layouts; the float warp (both orders) exactly its bits.
/// </summary>
public class WarpAffineVector128Tests
{
    private static readonly WarpPath[] Paths = [WarpPath.Vector128, WarpPath.Vector128Portable];
    private static readonly Interpolation[] Orders = [Interpolation.Bilinear, Interpolation.Nearest];

    /// <summary>Matrices of quarters and halves: order 0 meets exact ties (c + 0.5 an integer) on most pixels.</summary>
    private static readonly Gen<AffineMatrix> TieMatrices =
        Gen.Select(Gen.Int[-8, 8], Gen.Int[-8, 8], Gen.Int[-80, 80], Gen.Int[-8, 8], Gen.Int[-8, 8], Gen.Int[-80, 80])
            .Select((a, b, c, d, e, f) => new AffineMatrix(a / 4.0, b / 4.0, c / 2.0, d / 4.0, e / 4.0, f / 2.0));

    private static bool SameAsScalar(Image<byte> src, int dh, int dw, in AffineMatrix m, in WarpOptions options, out string where) =>
        ByteSameAsScalar(src, dh, dw, m, options, Paths, out where);

    private static bool FloatSameAsScalar(Image<float> src, int dh, int dw, in AffineMatrix m, in WarpOptions options, out string where)
    {
        using var s = new Image<float>(dh, dw, src.Channels);
        WarpAffine.Apply(src, s, m, options, WarpPath.Scalar);
        foreach (var path in Paths)
        {
            using var v = new Image<float>(s.Info);
            WarpAffine.Apply(src, v, m, options, path);
            where = $"float {path} {options.Interpolation} {src.Info} -> {dh}x{dw} {options.FillMode} keras={options.KerasCompatible} {m}";
            // Bit for bit (SequenceEqual on floats would accept −0 for +0).
            if (!MemoryMarshal.AsBytes(v.Span).SequenceEqual(MemoryMarshal.AsBytes(s.Span))) return false;
        }
        where = "";
        return true;
    }

    [Fact]
    public void Vector128EqualsScalarOnRandomMatricesAndImages() =>
        Gen.Select(Gen.Int[1, 50], Gen.Int[1, 50], Gen.OneOf(1, 2, 3, 4, 5), Gen.Int[0, 3], Gen.Bool, Matrices, Gen.ULong)
            .Sample((h, w, c, fill, keras, m, seed) =>
            {
                using var src = RandomByte(h, w, c, seed);
                return SameAsScalar(src, h, w, m, new WarpOptions(Interpolation.Bilinear, Fills[fill], Cval, keras), out _);
            }, iter: 400);

    [Fact]
    public void Vector128EqualsScalarOnAnotherOutputSize() =>
        Gen.Select(Gen.Int[2, 40], Gen.Int[2, 40], Gen.Int[1, 60], Gen.Int[1, 60], Gen.OneOf(1, 3, 4), Gen.Int[0, 3], Matrices, Gen.ULong)
            .Sample((h, w, dh, dw, c, fill, m, seed) =>
            {
                using var src = RandomByte(h, w, c, seed);
                return SameAsScalar(src, dh, dw, m, new WarpOptions(Interpolation.Bilinear, Fills[fill], Cval), out _);
            }, iter: 200);

    /// <summary>Order-0 bytes, 128-bit paths vs scalar, on random images, fill modes and matrices from <paramref name="matrices"/>.</summary>
    private static void NearestEqualsScalar(Gen<AffineMatrix> matrices) =>
        Gen.Select(Gen.Int[1, 50], Gen.Int[1, 50], Gen.OneOf(1, 2, 3, 4, 5), Gen.Int[0, 3], Gen.Bool, matrices, Gen.ULong)
            .Sample((h, w, c, fill, keras, m, seed) =>
            {
                using var src = RandomByte(h, w, c, seed);
                return SameAsScalar(src, h, w, m, new WarpOptions(Interpolation.Nearest, Fills[fill], Cval, keras), out _);
            }, iter: 400);

    [Fact]
    public void NearestVector128EqualsScalarOnRandomMatricesAndImages() => NearestEqualsScalar(Matrices);

    [Fact]
    public void NearestVector128EqualsScalarAtTies() => NearestEqualsScalar(TieMatrices);

    [Fact]
    public void NearestVector128EqualsScalarOnAnotherOutputSize() =>
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40], Gen.Int[1, 60], Gen.Int[1, 60], Gen.OneOf(1, 2, 3, 4, 5), Gen.Int[0, 3], Matrices, Gen.ULong)
            .Sample((h, w, dh, dw, c, fill, m, seed) =>
            {
                using var src = RandomByte(h, w, c, seed);
                return SameAsScalar(src, dh, dw, m, new WarpOptions(Interpolation.Nearest, Fills[fill], Cval), out _);
            }, iter: 200);

    /// <summary>Floats, both orders, 128-bit path vs scalar bit for bit, matrices from <paramref name="matrices"/>.</summary>
    private static void FloatEqualsScalar(Gen<AffineMatrix> matrices) =>
        Gen.Select(Gen.Int[1, 50], Gen.Int[1, 50], Gen.OneOf(1, 2, 3, 4, 5), Gen.Int[0, 3], Gen.Bool, Gen.Bool, matrices, Gen.ULong)
            .Sample((h, w, c, fill, keras, linear, m, seed) =>
            {
                using var src = RandomFloat(h, w, c, seed);
                var options = new WarpOptions(linear ? Interpolation.Bilinear : Interpolation.Nearest, Fills[fill], Cval, keras);
                return FloatSameAsScalar(src, h, w, m, options, out _);
            }, iter: 400);

    [Fact]
    public void FloatVector128EqualsScalarOnRandomMatricesAndImages() => FloatEqualsScalar(Matrices);

    [Fact]
    public void FloatVector128EqualsScalarAtTies() => FloatEqualsScalar(TieMatrices);

    [Fact]
    public void FloatVector128EqualsScalarOnAnotherOutputSize() =>
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40], Gen.Select(Gen.Int[1, 60], Gen.Int[1, 60]), Gen.OneOf(1, 2, 3, 4, 5), Gen.Int[0, 3], Gen.Bool, Matrices, Gen.ULong)
            .Sample((h, w, dst, c, fill, linear, m, seed) =>
            {
                using var src = RandomFloat(h, w, c, seed);
                var options = new WarpOptions(linear ? Interpolation.Bilinear : Interpolation.Nearest, Fills[fill], Cval);
                return FloatSameAsScalar(src, dst.Item1, dst.Item2, m, options, out _);
            }, iter: 200);

    [Theory]
    [InlineData("shift 0.5 0.25")]
    [InlineData("shift corner")]
    [InlineData("rotate 90")]
    [InlineData("rotate 180")]
    [InlineData("zoom out 3")]
    [InlineData("zoom in 0.3")]
    [InlineData("flip")]
    [InlineData("identity")]
    public void Vector128EqualsScalarOnEdgeCaseMatrices(string name)
    {
        ulong seed = 11;
        foreach (var (h, w) in new[] { (1, 1), (1, 37), (37, 1), (2, 2), (2, 40), (3, 5), (17, 23), (40, 40) })
            foreach (int c in new[] { 1, 2, 3, 4, 5 })
                foreach (var fill in Fills)
                    foreach (var order in Orders)
                        foreach (bool keras in new[] { false, true })
                        {
                            var m = name switch
                            {
                                "shift 0.5 0.25" => AffineMatrix.Shift(0.5, 0.25),
                                // Samples around the bottom-right corner: loads that must not run past the source.
                                "shift corner" => AffineMatrix.Shift(h * 0.6, w * 0.6),
                                "rotate 90" => AffineMatrix.FromKeras(90, 0, 0, 0, 1, 1, h, w, CentreConvention.PixelCentre)!.Value,
                                "rotate 180" => AffineMatrix.FromKeras(180, 0, 0, 0, 1, 1, h, w, CentreConvention.PixelCentre)!.Value,
                                "zoom out 3" => AffineMatrix.FromKeras(0, 0, 0, 0, 3, 3, h, w, CentreConvention.PixelCentre)!.Value,
                                "zoom in 0.3" => AffineMatrix.FromKeras(0, 0, 0, 0, 0.3, 0.3, h, w, CentreConvention.PixelCentre)!.Value,
                                "flip" => new AffineMatrix(1, 0, 0, 0, -1, w - 1),
                                _ => AffineMatrix.Identity,
                            };
                            using var src = RandomByte(h, w, c, seed++);
                            using var fsrc = ImageConvert.ToFloat(src);
                            var options = new WarpOptions(order, fill, Cval, keras);
                            Assert.True(SameAsScalar(src, h, w, m, options, out string where), where);
                            Assert.True(FloatSameAsScalar(fsrc, h, w, m, options, out where), where);
                        }
    }

    [Theory]
    [InlineData(3, 11000, 3)]  // row stride above 2^15 bytes
    [InlineData(5, 2100, 4)]   // coordinate tables too long for the stack
    [InlineData(300, 9, 1)]
    [InlineData(224, 224, 3)]
    public void Vector128EqualsScalarOnWideAndTallImages(int h, int w, int c)
    {
        var rng = new RandomStream((ulong)(h * w + c));
        using var src = RandomByte(h, w, c, 5);
        using var fsrc = RandomFloat(h, w, c, 6);
        foreach (var fill in Fills)
            foreach (var order in Orders)
                for (int trial = 0; trial < 3; trial++)
                {
                    var m = AffineMatrix.FromKeras(rng.Uniform(-30, 30), rng.Uniform(-0.2, 0.2) * h, rng.Uniform(-0.2, 0.2) * w, rng.Uniform(-10, 10),
                        rng.Uniform(0.8, 1.2), rng.Uniform(0.8, 1.2), h, w, CentreConvention.PixelCentre)!.Value;
                    var options = new WarpOptions(order, fill, Cval);
                    Assert.True(SameAsScalar(src, h, w, m, options, out string where), where);
                    Assert.True(FloatSameAsScalar(fsrc, h, w, m, options, out where), where);
                }
    }
}
