using Mirage.Imaging;
using Mirage.Kernels.Photometric;
using Mirage.Randomness;

namespace Mirage.Transforms.Photometric;

/// <summary>Options of <see cref="ChannelShift"/> (Keras's channel_shift_range).</summary>
public sealed record ChannelShiftOptions : TransformOptions
{
    /// <summary><c>channel_shift</c>.</summary>
    public override string Name => "channel_shift";
    /// <summary>A new <see cref="ChannelShift"/>.</summary>
    public override ITransform Create() => new ChannelShift(this);

    /// <summary>Keras's channel_shift_range: the largest shift, on the image's value scale, ≥ 0; default 0 (no draw).</summary>
    [Option("value added to every channel, drawn uniformly from [-intensity, intensity]", Min = 0)]
    public double Intensity { get; init => field = Checked(value); }
}

/// <summary>The shift drawn.</summary>
/// <param name="Shift">The value added to every value of the image (all channels alike).</param>
public readonly record struct ChannelShiftParams(double Shift);

/// <summary>Keras's channel shift: adds the value, then clips to the image's own min and max before the shift.</summary>
/// <param name="options">The validated options.</param>
public sealed class ChannelShift(ChannelShiftOptions options) : Transform<ChannelShiftOptions, ChannelShiftParams>(options), IPhotometricTransform<ChannelShiftParams>
{
    /// <summary>Draws the shift uniformly from [−intensity, intensity] (one draw; none when intensity is 0).</summary>
    /// <param name="random">The sample's stream.</param>
    /// <param name="image">The image's shape (unused).</param>
    public override ChannelShiftParams Sample(ref RandomStream random, in ImageInfo image) =>
        new(Options.Intensity != 0 ? random.Uniform(-Options.Intensity, Options.Intensity) : 0);

    /// <summary>dst = clamp(src + shift, min(src), max(src)), the min and max over all channels (Keras's
    /// apply_channel_shift).</summary>
    /// <param name="p">The shift.</param>
    /// <param name="src">The image; not modified unless it is also <paramref name="dst"/>.</param>
    /// <param name="dst">Receives the result; the same shape (may be <paramref name="src"/>).</param>
    public override void Apply(in ChannelShiftParams p, Image<float> src, Image<float> dst)
    {
        var (min, max) = PointOps.MinMax(src.Span);
        PointOps.ShiftClamp(src.Span, dst.Span, (float)p.Shift, min, max);
    }

    /// <summary>The same on bytes, the result rounded half to even.</summary>
    /// <param name="p">The shift.</param>
    /// <param name="src">The image; not modified unless it is also <paramref name="dst"/>.</param>
    /// <param name="dst">Receives the result; the same shape (may be <paramref name="src"/>).</param>
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
