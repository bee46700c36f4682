using Mirage.Geometry;
using Mirage.Imaging;

namespace Mirage.Kernels.Geometric;

/// <summary>One-pass affine resampling: dst(r, c) = src(m · (r, c)), scipy.ndimage.affine_transform's semantics.</summary>
public static class WarpAffine
{
    public static void Apply(Image<float> src, Image<float> dst, in AffineMatrix m, in WarpOptions options) =>
        throw new NotImplementedException("WarpAffine (float) lands with the kernel work.");

    public static void Apply(Image<byte> src, Image<byte> dst, in AffineMatrix m, in WarpOptions options) =>
        throw new NotImplementedException("WarpAffine (byte) lands with the kernel work.");
}
