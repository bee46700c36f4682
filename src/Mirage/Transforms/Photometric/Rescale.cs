using Mirage.Imaging;
using Mirage.Kernels.Photometric;
using Mirage.Randomness;

namespace Mirage.Transforms.Photometric;

/// <summary>Options of <see cref="Rescale"/> (Keras's rescale).</summary>
public sealed record RescaleOptions : TransformOptions
{
    /// <summary><c>rescale</c>.</summary>
    public override string Name => "rescale";
    /// <summary>A new <see cref="Rescale"/>.</summary>
    public override ITransform Create() => new Rescale(this);

    /// <summary>Keras's rescale: the multiplier (finite; default 1/255, which maps bytes to [0, 1]). Applied in float32.</summary>
    [Option("every value is multiplied by this (1/255 maps bytes to [0, 1])")]
    public double Factor { get; init => field = Checked(value); } = 1.0 / 255;
}

/// <summary>Multiplies every value by factor (in float, as Keras's standardize does); fuses into the output pass.</summary>
/// <param name="options">The validated options.</param>
public sealed class Rescale(RescaleOptions options) : ChannelAffineTransform<RescaleOptions, NoParams>(options)
{
    /// <summary>Draws nothing: rescale is deterministic.</summary>
    /// <param name="random">Not advanced.</param>
    /// <param name="image">Unused.</param>
    public override NoParams Sample(ref RandomStream random, in ImageInfo image) => default;

    /// <summary>scale = (float)factor for every channel, offset = 0.</summary>
    /// <param name="p">Unused.</param>
    /// <param name="scale">Receives the factor for each channel.</param>
    /// <param name="offset">Cleared.</param>
    public override void ScaleOffset(in NoParams p, Span<double> scale, Span<double> offset)
    {
        scale.Fill((float)Options.Factor);
        offset.Clear();
    }

    /// <summary>dst = src · factor in float32.</summary>
    /// <param name="p">Unused.</param>
    /// <param name="src">The image; not modified unless it is also <paramref name="dst"/>.</param>
    /// <param name="dst">Receives the result; the same shape (may be <paramref name="src"/>).</param>
    public override void Apply(in NoParams p, Image<float> src, Image<float> dst) => PointOps.Scale(src.Span, dst.Span, (float)Options.Factor);
}
