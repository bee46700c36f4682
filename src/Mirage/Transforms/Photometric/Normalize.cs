using Mirage.Imaging;
using Mirage.Randomness;

namespace Mirage.Transforms.Photometric;

/// <summary>Options of <see cref="Normalize"/> (Keras's featurewise centre and std; torchvision's Normalize).</summary>
public sealed record NormalizeOptions : TransformOptions
{
    public override string Name => "normalize";
    public override ITransform Create() => new Normalize(this);

    [Option("per-channel mean subtracted (one value per channel, or one for all)")]
    public IReadOnlyList<double> Mean { get; init => field = Checked(value); } = [0.0];

    [Option("per-channel standard deviation divided by (after adding epsilon)", Min = 0)]
    public IReadOnlyList<double> Std { get; init => field = Checked(value); } = [1.0];

    [Option("added to std before dividing (Keras uses 1e-6)", Min = 0)]
    public double Epsilon { get; init => field = Checked(value); }
}

/// <summary>(v − mean[c]) / (std[c] + epsilon), in float as Keras's standardize; fuses into the output pass.</summary>
public sealed class Normalize : ChannelAffineTransform<NormalizeOptions, NoParams>, IChannelAffineTransform<NoParams>
{
    public Normalize(NormalizeOptions options) : base(options)
    {
        if (options.Mean.Count == 0 || options.Std.Count == 0)
            throw new ArgumentException("normalize: options 'mean' and 'std' need at least one value.", nameof(options));
        for (int i = 0; i < options.Std.Count; i++)
            if (options.Std[i] + options.Epsilon <= 0)
                throw new ArgumentException($"normalize: option 'std' holds {options.Std[i]} at {i}; std + epsilon must be above 0.", nameof(options));
    }

    public override NoParams Sample(ref RandomStream random, in ImageInfo image) => default;

    private (float Mean, float Divisor) Channel(int c, int channels)
    {
        var o = Options;
        if ((o.Mean.Count != 1 && o.Mean.Count != channels) || (o.Std.Count != 1 && o.Std.Count != channels))
            throw new ArgumentException($"normalize: 'mean' has {o.Mean.Count} and 'std' {o.Std.Count} values, but the image has {channels} channels (give one value or one per channel).");
        return ((float)o.Mean[o.Mean.Count == 1 ? 0 : c], (float)o.Std[o.Std.Count == 1 ? 0 : c] + (float)o.Epsilon);
    }

    public override void ScaleOffset(in NoParams p, Span<double> scale, Span<double> offset)
    {
        for (int c = 0; c < scale.Length; c++)
        {
            var (m, d) = Channel(c, scale.Length);
            scale[c] = 1.0 / d;
            offset[c] = -m / (double)d;
        }
    }

    /// <summary>(v · scale + offset − mean) / (std + epsilon): divides, as the float path does (not × 1/(std + epsilon)).</summary>
    void IChannelAffineTransform<NoParams>.AppendTo(in NoParams p, Span<double> scale, Span<double> offset)
    {
        for (int c = 0; c < scale.Length; c++)
        {
            var (m, d) = Channel(c, scale.Length);
            scale[c] /= d;
            offset[c] = (offset[c] - m) / d;
        }
    }

    public override void Apply(in NoParams p, Image<float> src, Image<float> dst)
    {
        int channels = src.Channels;
        Span<float> mean = stackalloc float[channels], div = stackalloc float[channels];
        for (int c = 0; c < channels; c++) (mean[c], div[c]) = Channel(c, channels);
        var s = src.Span;
        var d = dst.Span;
        for (int i = 0; i < s.Length; i++) d[i] = (s[i] - mean[i % channels]) / div[i % channels];
    }
}
