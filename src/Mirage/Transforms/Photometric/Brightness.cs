using Mirage.Imaging;
using Mirage.Kernels.Photometric;
using Mirage.Randomness;

namespace Mirage.Transforms.Photometric;

/// <summary>Options of <see cref="Brightness"/> (Keras's brightness_range).</summary>
public sealed record BrightnessOptions : TransformOptions
{
    /// <summary><c>brightness</c>.</summary>
    public override string Name => "brightness";
    /// <summary>A new <see cref="Brightness"/>.</summary>
    public override ITransform Create() => new Brightness(this);

    /// <summary>Keras's brightness_range: the factor is drawn uniformly from [low, high], low ≥ 0; 1 leaves the image
    /// (up to truncation to whole numbers), 0 makes it black; default [1, 1].</summary>
    [Option("brightness factor drawn uniformly from [low, high] (1 leaves the image alone)", Min = 0)]
    public Interval Range { get; init => field = Checked(value); } = new(1, 1);
}

/// <summary>The brightness factor drawn.</summary>
/// <param name="Factor">The multiplier, ≥ 0 (1 = unchanged).</param>
public readonly record struct BrightnessParams(double Factor);

/// <summary>Keras's brightness (Pillow's ImageEnhance.Brightness: scale, round down, clip to 0..255; alpha of 4 channels kept).</summary>
/// <param name="options">The validated options.</param>
public sealed class Brightness(BrightnessOptions options) : Transform<BrightnessOptions, BrightnessParams>(options), IPhotometricTransform<BrightnessParams>
{
    /// <summary>Draws the factor uniformly from the range (one draw, always made).</summary>
    /// <param name="random">The sample's stream.</param>
    /// <param name="image">The image's shape (unused).</param>
    public override BrightnessParams Sample(ref RandomStream random, in ImageInfo image) =>
        new(random.Uniform(Options.Range.Low, Options.Range.High));

    /// <summary>Multiplies each byte by the factor, rounding down and clipping to 0..255; a 4th (alpha) channel is copied.</summary>
    /// <param name="p">The factor.</param>
    /// <param name="src">The image; not modified unless it is also <paramref name="dst"/>.</param>
    /// <param name="dst">Receives the result; the same shape (may be <paramref name="src"/>).</param>
    public override void Apply(in BrightnessParams p, Image<byte> src, Image<byte> dst) => Each(src.Span, dst.Span, src.Channels, (float)p.Factor);

    /// <summary>Keras's float brightness: each value is clipped to 0..255 and truncated, multiplied, truncated and clipped
    /// again; a 4th (alpha) channel is only clipped and truncated. Expects the 0..255 scale (before rescale).</summary>
    /// <param name="p">The factor.</param>
    /// <param name="src">The image; not modified unless it is also <paramref name="dst"/>.</param>
    /// <param name="dst">Receives the result; the same shape (may be <paramref name="src"/>).</param>
    public override void Apply(in BrightnessParams p, Image<float> src, Image<float> dst) => Each(src.Span, dst.Span, src.Channels, (float)p.Factor);

    private static void Each(ReadOnlySpan<byte> src, Span<byte> dst, int channels, float factor)
    {
        if (channels != 4)
        {
            PointOps.Brightness(src, dst, factor);
            return;
        }
        for (int i = 0; i + 4 <= src.Length; i += 4)
        {
            PointOps.Brightness(src.Slice(i, 3), dst.Slice(i, 3), factor);
            dst[i + 3] = src[i + 3];
        }
    }

    private static void Each(ReadOnlySpan<float> src, Span<float> dst, int channels, float factor)
    {
        if (channels != 4)
        {
            PointOps.Brightness(src, dst, factor);
            return;
        }
        for (int i = 0; i + 4 <= src.Length; i += 4)
        {
            PointOps.Brightness(src.Slice(i, 3), dst.Slice(i, 3), factor);
            PointOps.Brightness(src.Slice(i + 3, 1), dst.Slice(i + 3, 1), 1f); // Pillow keeps alpha but takes it to 8 bits
        }
    }
}
