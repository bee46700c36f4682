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
/// The border pixels of the byte bilinear warp under 'reflect' and periodic 'wrap' (not KerasCompatible, whose legacy
/// wrap takes the double path): the vector paths (AVX2, 128-bit with both blends) must give exactly the scalar path's
/// bytes, directly and through the fused byte → float warp in both layouts, with sources near the image, one period
/// away and several periods away.
/// </summary>
public class WarpAffineBorderTests
{
    private static readonly WarpPath[] Paths = [WarpPath.Vector256, WarpPath.Vector128, WarpPath.Vector128Portable];
    private static readonly FillMode[] Extended = [FillMode.Reflect, FillMode.Wrap];

    /// <summary>Rotation, shear, zoom out to 10× and shifts of up to four image sizes about the centre of an h × w image: many sources more than a period away.</summary>
    private static Gen<AffineMatrix> FarMatrices(int h, int w) =>
        Gen.Select(Gen.Double[-180, 180], Gen.Double[-4, 4], Gen.Double[-4, 4], Gen.Double[-30, 30], Gen.Double[0.3, 10], Gen.Double[0.3, 10])
            .Select((t, ty, tx, sh, zy, zx) =>
                AffineMatrix.FromKeras(t, ty * h, tx * w, sh, zy, zx, h, w, CentreConvention.PixelCentre) ?? AffineMatrix.Identity);

    private static bool SameAsScalar(Image<byte> src, int dh, int dw, in AffineMatrix m, in WarpOptions options, out string where) =>
        ByteSameAsScalar(src, dh, dw, m, options, Paths, out where);

    [Fact]
    public void ReflectAndWrapBordersEqualScalarOnFarMatrices() =>
        Gen.Select(Gen.Int[1, 50], Gen.Int[1, 50], Gen.OneOf(1, 2, 3, 4, 5), Gen.Int[0, 1], Gen.ULong)
            .SelectMany((h, w, c, fill, seed) => FarMatrices(h, w).Select(m => (h, w, c, fill, seed, m)))
            .Sample(t =>
            {
                using var src = RandomByte(t.h, t.w, t.c, t.seed);
                return SameAsScalar(src, t.h, t.w, t.m, new WarpOptions(Interpolation.Bilinear, Extended[t.fill], Cval), out _);
            }, iter: 400);

    [Fact]
    public void ReflectAndWrapBordersEqualScalarOnRandomMatrices() =>
        Gen.Select(Gen.Int[1, 50], Gen.Int[1, 50], Gen.OneOf(1, 2, 3, 4, 5), Gen.Int[0, 1], Matrices, Gen.ULong)
            .Sample((h, w, c, fill, m, seed) =>
            {
                using var src = RandomByte(h, w, c, seed);
                return SameAsScalar(src, h, w, m, new WarpOptions(Interpolation.Bilinear, Extended[fill], Cval), out _);
            }, iter: 300);

    [Fact]
    public void ReflectAndWrapBordersEqualScalarOnAnotherOutputSize() =>
        Gen.Select(Gen.Int[1, 50], Gen.Int[1, 50], Gen.Int[1, 60], Gen.Int[1, 60], Gen.OneOf(1, 2, 3, 4, 5), Gen.Int[0, 1], Gen.ULong)
            .SelectMany((h, w, dh, dw, c, fill, seed) => FarMatrices(h, w).Select(m => (h, w, dh, dw, c, fill, seed, m)))
            .Sample(t =>
            {
                using var src = RandomByte(t.h, t.w, t.c, t.seed);
                return SameAsScalar(src, t.dh, t.dw, t.m, new WarpOptions(Interpolation.Bilinear, Extended[t.fill], Cval), out _);
            }, iter: 200);

    [Theory]
    [InlineData(224, 224, 3)]
    [InlineData(3, 11000, 3)]  // row stride above 2^15 bytes
    [InlineData(5, 2100, 4)]   // coordinate tables too long for the stack
    public void ReflectAndWrapBordersEqualScalarOnReferenceLikeMatrices(int h, int w, int c)
    {
        var rng = new RandomStream((ulong)(h * w + c));
        using var src = RandomByte(h, w, c, 9);
        foreach (var fill in Extended)
            for (int trial = 0; trial < 4; trial++)
            {
                var m = AffineMatrix.FromKeras(rng.Uniform(-40, 40), rng.Uniform(-0.2, 0.2) * h, rng.Uniform(-0.2, 0.2) * w, 0,
                    rng.Uniform(0.8, 1.2), rng.Uniform(0.8, 1.2), h, w, CentreConvention.PixelCentre)!.Value;
                Assert.True(SameAsScalar(src, h, w, m, new WarpOptions(Interpolation.Bilinear, fill, Cval), out string where), where);
            }
    }
}
