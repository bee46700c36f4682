using Mirage.Imaging;
using Mirage.Randomness;

namespace Mirage.Transforms.Photometric;

/// <summary>Options of <see cref="ColorJitter"/> (torchvision's ColorJitter with single-number arguments).</summary>
public sealed record ColorJitterOptions : TransformOptions
{
    /// <summary><c>color_jitter</c>.</summary>
    public override string Name => "color_jitter";
    /// <summary>A new <see cref="ColorJitter"/>.</summary>
    public override ITransform Create() => new ColorJitter(this);

    /// <summary>torchvision's brightness b ≥ 0: the factor is drawn from [max(0, 1 − b), 1 + b]; 0 (the default) leaves
    /// brightness alone.</summary>
    [Option("brightness factor drawn from [max(0, 1 - b), 1 + b]; 0 leaves brightness alone", Min = 0)]
    public double Brightness { get; init => field = Checked(value); }

    /// <summary>torchvision's contrast c ≥ 0: the factor is drawn from [max(0, 1 − c), 1 + c] and blends with the
    /// image's mean gray; 0 (the default) leaves contrast alone.</summary>
    [Option("contrast factor drawn from [max(0, 1 - c), 1 + c]; 0 leaves contrast alone", Min = 0)]
    public double Contrast { get; init => field = Checked(value); }

    /// <summary>torchvision's saturation s ≥ 0: the factor is drawn from [max(0, 1 − s), 1 + s] and blends with each
    /// pixel's gray; 0 (the default) leaves saturation alone.</summary>
    [Option("saturation factor drawn from [max(0, 1 - s), 1 + s]; 0 leaves saturation alone", Min = 0)]
    public double Saturation { get; init => field = Checked(value); }

    /// <summary>torchvision's hue h in [0, 0.5]: a shift of the hue, as a fraction of the colour wheel, drawn from
    /// [−h, h]; 0 (the default) leaves hue alone.</summary>
    [Option("hue shift (fraction of the colour wheel) drawn from [-h, h]; 0 leaves hue alone", Min = 0, Max = 0.5)]
    public double Hue { get; init => field = Checked(value); }
}

/// <summary>
/// The order the four adjustments run in (0 brightness, 1 contrast, 2 saturation, 3 hue; First runs first) and the
/// factors drawn. An adjustment whose option is 0 is not applied (its factor stays neutral).
/// </summary>
/// <param name="First">The adjustment applied first (0 brightness, 1 contrast, 2 saturation, 3 hue).</param>
/// <param name="Second">The adjustment applied second.</param>
/// <param name="Third">The adjustment applied third.</param>
/// <param name="Fourth">The adjustment applied last.</param>
/// <param name="Brightness">The brightness factor (1 = unchanged).</param>
/// <param name="Contrast">The contrast factor (1 = unchanged).</param>
/// <param name="Saturation">The saturation factor (1 = unchanged).</param>
/// <param name="Hue">The hue shift as a fraction of the colour wheel (0 = unchanged).</param>
public readonly record struct ColorJitterParams(byte First, byte Second, byte Third, byte Fourth,
    double Brightness, double Contrast, double Saturation, double Hue)
{
    /// <summary>The adjustment at step <paramref name="i"/>: 0 → <see cref="First"/> … 3 → <see cref="Fourth"/> (any
    /// other index also gives Fourth).</summary>
    /// <param name="i">The step, 0..3.</param>
    public byte this[int i] => i switch { 0 => First, 1 => Second, 2 => Third, _ => Fourth };
}

/// <summary>
/// torchvision's ColorJitter: a random order of brightness, contrast, saturation and hue (torch.randperm(4)), each
/// factor drawn uniformly, each adjustment as torchvision's tensor functional ops compute it on uint8 images (float32
/// arithmetic, truncation to uint8). Floats use the same formulas on the 0..255 scale without truncation. Contrast,
/// saturation and hue need 1 or 3 channels (saturation and hue leave one channel alone, as torchvision does).
/// </summary>
/// <param name="options">The validated options.</param>
public sealed class ColorJitter(ColorJitterOptions options) : Transform<ColorJitterOptions, ColorJitterParams>(options), IPhotometricTransform<ColorJitterParams>
{
    /// <summary>Draws the order (three draws, as torch.randperm(4)), then the factors of the enabled adjustments in the
    /// order brightness, contrast, saturation, hue.</summary>
    /// <param name="random">The sample's stream.</param>
    /// <param name="image">The image's shape (unused).</param>
    /// <remarks>The draws are Mirage's, not torch's: a seed does not reproduce torchvision's choices, only its
    /// arithmetic for given factors.</remarks>
    public override ColorJitterParams Sample(ref RandomStream random, in ImageInfo image)
    {
        Span<byte> order = [0, 1, 2, 3];
        for (int i = 3; i > 0; i--) // Fisher–Yates: each of the 24 orders equally likely
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var o = Options;
        double b = o.Brightness > 0 ? random.Uniform(Math.Max(0, 1 - o.Brightness), 1 + o.Brightness) : 1;
        double c = o.Contrast > 0 ? random.Uniform(Math.Max(0, 1 - o.Contrast), 1 + o.Contrast) : 1;
        double s = o.Saturation > 0 ? random.Uniform(Math.Max(0, 1 - o.Saturation), 1 + o.Saturation) : 1;
        double h = o.Hue > 0 ? random.Uniform(-o.Hue, o.Hue) : 0;
        return new ColorJitterParams(order[0], order[1], order[2], order[3], b, c, s, h);
    }

    /// <summary>Runs the enabled adjustments in the drawn order with torchvision's uint8 arithmetic (float32, truncated
    /// to bytes after each).</summary>
    /// <param name="p">The order and factors.</param>
    /// <param name="src">The image: 1 or 3 channels when contrast, saturation or hue is enabled.</param>
    /// <param name="dst">Receives the result; the same shape (may be <paramref name="src"/>).</param>
    /// <exception cref="ArgumentException">Contrast, saturation or hue is enabled and the image has neither 1 nor 3
    /// channels.</exception>
    public override void Apply(in ColorJitterParams p, Image<byte> src, Image<byte> dst) => Run(p, src, dst);

    /// <summary>The same formulas on floats on the 0..255 scale, without truncation.</summary>
    /// <param name="p">The order and factors.</param>
    /// <param name="src">The image: 1 or 3 channels when contrast, saturation or hue is enabled.</param>
    /// <param name="dst">Receives the result; the same shape (may be <paramref name="src"/>).</param>
    /// <exception cref="ArgumentException">Contrast, saturation or hue is enabled and the image has neither 1 nor 3
    /// channels.</exception>
    public override void Apply(in ColorJitterParams p, Image<float> src, Image<float> dst) => Run(p, src, dst);

    private void Run<T>(in ColorJitterParams p, Image<T> src, Image<T> dst) where T : unmanaged
    {
        int channels = src.Channels;
        var o = Options;
        if ((o.Contrast > 0 || o.Saturation > 0 || o.Hue > 0) && channels is not (1 or 3))
            throw new ArgumentException($"color_jitter: contrast, saturation and hue need a 1- or 3-channel image, got {src.Info}.", nameof(src));
        src.Span.CopyTo(dst.Span);
        for (int k = 0; k < 4; k++)
        {
            switch (p[k])
            {
                case 0 when o.Brightness > 0: ColorOps.Brightness(dst.Span, p.Brightness); break;
                case 1 when o.Contrast > 0: ColorOps.Contrast(dst.Span, channels, p.Contrast); break;
                case 2 when o.Saturation > 0 && channels == 3: ColorOps.Saturation(dst.Span, p.Saturation); break;
                case 3 when o.Hue > 0 && channels == 3: ColorOps.Hue(dst.Span, p.Hue); break;
            }
        }
    }
}
