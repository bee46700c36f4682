using Mirage.Imaging;
using Mirage.Kernels.Photometric;
using Mirage.Randomness;

namespace Mirage.Transforms.Photometric;

/// <summary>Options of <see cref="Brightness"/> (Keras's brightness_range).</summary>
public sealed record BrightnessOptions : TransformOptions
{
    public override string Name => "brightness";
    public override ITransform Create() => new Brightness(this);

    [Option("brightness factor drawn uniformly from [low, high] (1 leaves the image alone)", Min = 0)]
    public Interval Range { get; init => field = Checked(value); } = new(1, 1);
}

/// <summary>The brightness factor drawn.</summary>
public readonly record struct BrightnessParams(double Factor);

/// <summary>Keras's brightness (Pillow's ImageEnhance.Brightness: scale, round down, clip to 0..255; alpha of 4 channels kept).</summary>
public sealed class Brightness(BrightnessOptions options) : Transform<BrightnessOptions, BrightnessParams>(options), IPhotometricTransform<BrightnessParams>
{
    public override BrightnessParams Sample(ref RandomStream random, in ImageInfo image) =>
        new(random.Uniform(Options.Range.Low, Options.Range.High));

    public override void Apply(in BrightnessParams p, Image<byte> src, Image<byte> dst) => Each(src.Span, dst.Span, src.Channels, (float)p.Factor);

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
