using Mirage.Imaging;
using Mirage.Kernels.Photometric;
using Mirage.Randomness;

namespace Mirage.Transforms.Photometric;

/// <summary>Options of <see cref="ChannelShift"/> (Keras's channel_shift_range).</summary>
public sealed record ChannelShiftOptions : TransformOptions
{
    public override string Name => "channel_shift";
    public override ITransform Create() => new ChannelShift(this);

    [Option("value added to every channel, drawn uniformly from [-intensity, intensity]", Min = 0)]
    public double Intensity { get; init => field = Checked(value); }
}

/// <summary>The shift drawn.</summary>
public readonly record struct ChannelShiftParams(double Shift);

/// <summary>Keras's channel shift: adds the value, then clips to the image's own min and max before the shift.</summary>
public sealed class ChannelShift(ChannelShiftOptions options) : Transform<ChannelShiftOptions, ChannelShiftParams>(options), IPhotometricTransform<ChannelShiftParams>
{
    public override ChannelShiftParams Sample(ref RandomStream random, in ImageInfo image) =>
        new(Options.Intensity != 0 ? random.Uniform(-Options.Intensity, Options.Intensity) : 0);

    public override void Apply(in ChannelShiftParams p, Image<float> src, Image<float> dst)
    {
        var (min, max) = PointOps.MinMax(src.Span);
        PointOps.ShiftClamp(src.Span, dst.Span, (float)p.Shift, min, max);
    }

    public override void Apply(in ChannelShiftParams p, Image<byte> src, Image<byte> dst)
    {
        var s = src.Span;
        var d = dst.Span;
        byte min = 255, max = 0;
        foreach (var v in s)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        float shift = (float)p.Shift;
        for (int i = 0; i < s.Length; i++) d[i] = PixelMath.ToByte(Math.Clamp(s[i] + shift, min, max));
    }
}
