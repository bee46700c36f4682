using Mirage.Imaging;
using Mirage.Kernels.Photometric;
using Mirage.Randomness;

namespace Mirage.Transforms.Photometric;

/// <summary>Options of <see cref="Rescale"/> (Keras's rescale).</summary>
public sealed record RescaleOptions : TransformOptions
{
    public override string Name => "rescale";
    public override ITransform Create() => new Rescale(this);

    [Option("every value is multiplied by this (1/255 maps bytes to [0, 1])")]
    public double Factor { get; init => field = Checked(value); } = 1.0 / 255;
}

/// <summary>Multiplies every value by factor (in float, as Keras's standardize does); fuses into the output pass.</summary>
public sealed class Rescale(RescaleOptions options) : ChannelAffineTransform<RescaleOptions, NoParams>(options)
{
    public override NoParams Sample(ref RandomStream random, in ImageInfo image) => default;

    public override void ScaleOffset(in NoParams p, Span<double> scale, Span<double> offset)
    {
        scale.Fill((float)Options.Factor);
        offset.Clear();
    }

    public override void Apply(in NoParams p, Image<float> src, Image<float> dst) => PointOps.Scale(src.Span, dst.Span, (float)Options.Factor);
}
