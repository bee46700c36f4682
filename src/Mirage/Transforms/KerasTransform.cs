using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Kernels.Photometric;

namespace Mirage.Transforms;

/// <summary>
/// Applies Keras's parameter set in keras-preprocessing's order: one fused affine warp (R·T·S·Z about the centre),
/// channel shift clipped to the warped image's own min/max, horizontal then vertical flip, brightness (later Keras's,
/// which keeps the alpha of a 4-channel image).
/// </summary>
public static class KerasTransform
{
    /// <summary>The warp matrix for <paramref name="p"/> on an image of <paramref name="height"/>×<paramref name="width"/>, or null when there is no geometric change.</summary>
    public static AffineMatrix? Matrix(in TransformParameters p, int height, int width, CentreConvention centre) =>
        AffineMatrix.FromKeras(p.Theta, p.Tx, p.Ty, p.Shear, p.Zx, p.Zy, height, width, centre);

    /// <summary>Writes the transformed <paramref name="src"/> into <paramref name="dst"/> (same shape; must not be <paramref name="src"/>).</summary>
    public static void Apply(Image<float> src, Image<float> dst, in TransformParameters p, in WarpOptions warp)
    {
        if (!src.SameShape(dst))
            throw new ArgumentException($"The destination must have the source's shape {src.Info}, got {dst.Info}.", nameof(dst));
        if (ReferenceEquals(src, dst))
            throw new ArgumentException("The destination must be a different image from the source.", nameof(dst));

        var matrix = Matrix(p, src.Height, src.Width, warp.Centre);
        if (matrix is { } m) WarpAffine.Apply(src, dst, m, warp);
        else src.Span.CopyTo(dst.Span);

        if (p.ChannelShiftIntensity is { } intensity)
        {
            var (min, max) = PointOps.MinMax(dst.Span);
            PointOps.ShiftClamp(dst.Span, dst.Span, (float)intensity, min, max);
        }
        if (p.FlipHorizontal) Flip.Horizontal(dst, dst);
        if (p.FlipVertical) Flip.Vertical(dst, dst);
        if (p.Brightness is { } b)
        {
            if (dst.Channels == 4) BrightnessKeepingAlpha(dst.Span, (float)b);
            else PointOps.Brightness(dst.Span, dst.Span, (float)b);
        }
    }

    /// <summary>
    /// Keras makes a 4-channel array an RGBA picture and Pillow's ImageEnhance.Brightness leaves alpha alone
    /// (it is only taken to 8 bits, i.e. factor 1).
    /// </summary>
    private static void BrightnessKeepingAlpha(Span<float> rgba, float factor)
    {
        for (int i = 0; i + 4 <= rgba.Length; i += 4)
        {
            var px = rgba.Slice(i, 4);
            PointOps.Brightness(px[..3], px[..3], factor);
            PointOps.Brightness(px[3..], px[3..], 1f);
        }
    }
}
