using Mirage.Generation;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Kernels.Photometric;
using Mirage.Transforms;

namespace Mirage.Data;

/// <summary>
/// An augmenter whose whole per-sample work (geometric warp + flips, then rescale and featurewise centre/std) can run
/// as ONE byte warp straight into the batch slot (<see cref="WarpAffine.ApplyToFloat(Image{byte}, Span{float}, DataLayout, in AffineMatrix, in WarpOptions, ReadOnlySpan{float}, ReadOnlySpan{float})"/>),
/// with no intermediate float image.
/// </summary>
internal interface IFusableAugmenter
{
    /// <summary>The fused plan for samples of <paramref name="shape"/>, or null when this configuration cannot be fused
    /// (KerasCompatible, channel shift, brightness, preprocessing function, samplewise, ZCA, statistics missing …).</summary>
    FusedSample? Fused(ImageInfo shape);
}

/// <summary>
/// The fused sample path: bytes → one warp (flips folded into the matrix) → values · scale[c] + offset[c], with
/// scale = rescale / (std + 1e-6) and offset = −mean / (std + 1e-6) (Keras's standardize as one affine map per channel).
/// </summary>
/// <remarks>
/// Against the exact path (float image, scipy-exact float warp, Standardize) on the same parameters: the byte warp
/// blends in 11-bit fixed point and rounds to an integer, so each value is within 1 of the float warp's before
/// scaling, i.e. within |scale[c]| after it (plus float rounding of the affine map). Order 0 picks the same
/// neighbours except at exact half-pixel ties, where folding a flip into the matrix can round the other way.
/// </remarks>
internal sealed class FusedSample
{
    public FusedSample(ImageInfo shape, WarpOptions warp, float[] scale, float[] offset)
    {
        Shape = shape;
        Warp = warp;
        Scale = scale;
        Offset = offset;
        IdentityScale = scale.All(s => s == 1f) && offset.All(o => o == 0f);
    }

    public ImageInfo Shape { get; }
    public WarpOptions Warp { get; }
    public float[] Scale { get; }
    public float[] Offset { get; }
    /// <summary>True when standardization does nothing (no rescale, no featurewise statistics).</summary>
    public bool IdentityScale { get; }

    /// <summary>Horizontal flip as a warp: output (r, c) samples (r, w − 1 − c).</summary>
    public static AffineMatrix FlipHorizontal(int width) => new(1, 0, 0, 0, -1, width - 1);

    /// <summary>Vertical flip as a warp: output (r, c) samples (h − 1 − r, c).</summary>
    public static AffineMatrix FlipVertical(int height) => new(-1, 0, height - 1, 0, 1, 0);

    /// <summary>
    /// The one matrix that does <paramref name="p"/>'s warp and then its flips (a flip after the warp is the warp read at
    /// mirrored output coordinates: M·F), or false when <paramref name="p"/> holds a step the fused path cannot do.
    /// </summary>
    public bool TryMatrix(in TransformParameters p, out AffineMatrix m)
    {
        m = AffineMatrix.Identity;
        if (p.ChannelShiftIntensity is not null || p.Brightness is not null) return false;
        m = KerasTransform.Matrix(p, Shape.Height, Shape.Width, Warp.Centre) ?? AffineMatrix.Identity;
        if (p.FlipHorizontal) m *= FlipHorizontal(Shape.Width);
        if (p.FlipVertical) m *= FlipVertical(Shape.Height);
        return true;
    }

    /// <summary>Warps <paramref name="src"/> (the sample's shape) with <paramref name="m"/> into a float batch slot.</summary>
    public void WriteFloat(Image<byte> src, in AffineMatrix m, Span<float> dst, DataLayout layout)
    {
        if (m.IsIdentity) Normalize.ToFloat(src, dst, layout, Scale, Offset);
        else WarpAffine.ApplyToFloat(src, dst, layout, m, Warp, Scale, Offset);
    }

    /// <summary>The same into a byte batch slot (rounded and clipped, as the exact path writes bytes).</summary>
    public void WriteByte(Image<byte> src, in AffineMatrix m, Span<byte> dst, DataLayout layout)
    {
        if (IdentityScale)
        {
            if (m.IsIdentity)
            {
                CopyBytes(src, dst, layout);
                return;
            }
            using var warped = new Image<byte>(Shape);
            WarpAffine.Apply(src, warped, m, Warp);
            CopyBytes(warped, dst, layout);
            return;
        }
        using var f = new Image<float>(Shape);
        WriteFloat(src, m, f.Span, DataLayout.ChannelsLast);
        if (layout == DataLayout.ChannelsLast)
        {
            ImageConvert.ToByte(f.Span, dst);
            return;
        }
        using var b = new Image<byte>(Shape);
        ImageConvert.ToByte(f.Span, b.Span);
        b.CopyToChannelsFirst(dst);
    }

    /// <summary>A byte image into a byte slot in <paramref name="layout"/>.</summary>
    public static void CopyBytes(Image<byte> src, Span<byte> dst, DataLayout layout)
    {
        if (layout == DataLayout.ChannelsLast) src.Span.CopyTo(dst);
        else src.CopyToChannelsFirst(dst);
    }

    /// <summary>
    /// The fused plan for <paramref name="generator"/>, or null when its configuration has a step the fused path cannot
    /// do: KerasCompatible (scipy-exact float warp and Keras's centre), channel shift, brightness, a preprocessing
    /// function, samplewise centre/std, ZCA, a constant fill value outside 0..255 or not a whole number, or featurewise
    /// statistics that are missing or have the wrong channel count (the exact path then raises its usual error).
    /// </summary>
    public static FusedSample? For(ImageDataGenerator generator, ImageInfo shape)
    {
        var o = generator.Options;
        if (o.KerasCompatible || o.PreprocessingFunction is not null || o.SamplewiseCenter || o.SamplewiseStdNormalization ||
            o.ZcaWhitening || o.ChannelShiftRange != 0 || o.BrightnessRange is not null)
            return null;
        if (o.FillMode == FillMode.Constant && !(o.Cval >= 0 && o.Cval <= 255 && o.Cval == Math.Round(o.Cval))) return null;
        int c = shape.Channels;
        float[]? mean = o.FeaturewiseCenter ? generator.Mean : null;
        float[]? std = o.FeaturewiseStdNormalization ? generator.Std : null;
        if (o.FeaturewiseCenter && mean?.Length != c) return null;
        if (o.FeaturewiseStdNormalization && std?.Length != c) return null;
        // Standardize computes ((v · (float)rescale) − mean) / (std + 1e-6f) in float; this is the same map, in double.
        double rescale = o.Rescale is { } r && r != 0 ? (float)r : 1.0;
        var scale = new float[c];
        var offset = new float[c];
        for (int k = 0; k < c; k++)
        {
            double m = mean?[k] ?? 0, d = std is null ? 1 : (double)(std[k] + ImageDataGenerator.StdEpsilon);
            scale[k] = (float)(rescale / d);
            offset[k] = (float)(-m / d);
        }
        return new FusedSample(shape, generator.WarpOptions, scale, offset);
    }
}
