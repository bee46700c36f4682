using Mirage.Imaging;
using Mirage.Randomness;

namespace Mirage.Transforms.Photometric;

/// <summary>Options of <see cref="Normalize"/> (Keras's featurewise centre and std; torchvision's Normalize).</summary>
public sealed record NormalizeOptions : TransformOptions
{
    /// <summary><c>normalize</c>.</summary>
    public override string Name => "normalize";
    /// <summary>A new <see cref="Normalize"/>.</summary>
    public override ITransform Create() => new Normalize(this);

    /// <summary>Subtracted from each channel: one value per channel, or one for all; default [0]. Keras's featurewise
    /// mean on the scale after rescale; torchvision's mean.</summary>
    [Option("per-channel mean subtracted (one value per channel, or one for all)")]
    public IReadOnlyList<double> Mean { get; init => field = Checked(value); } = [0.0];

    /// <summary>Divides each channel (after adding <see cref="Epsilon"/>): one value per channel, or one for all, ≥ 0;
    /// default [1].</summary>
    [Option("per-channel standard deviation divided by (after adding epsilon)", Min = 0)]
    public IReadOnlyList<double> Std { get; init => field = Checked(value); } = [1.0];

    /// <summary>Added to std before dividing (Keras uses 1e-6; torchvision 0, the default); ≥ 0.</summary>
    [Option("added to std before dividing (Keras uses 1e-6)", Min = 0)]
    public double Epsilon { get; init => field = Checked(value); }
}

/// <summary>(v − mean[c]) / (std[c] + epsilon), in float as Keras's standardize; fuses into the output pass.</summary>
/// <remarks>The channel count is checked when the transform runs: mean and std must have 1 or C values.</remarks>
public sealed class Normalize : ChannelAffineTransform<NormalizeOptions, NoParams>, IChannelAffineTransform<NoParams>
{
    /// <summary>Checks that mean and std are not empty and that std + epsilon is positive.</summary>
    /// <param name="options">The validated options.</param>
    /// <exception cref="ArgumentException">mean or std is empty, or some std + epsilon ≤ 0.</exception>
    public Normalize(NormalizeOptions options) : base(options)
    {
        if (options.Mean.Count == 0 || options.Std.Count == 0)
            throw new ArgumentException("normalize: options 'mean' and 'std' need at least one value.", nameof(options));
        for (int i = 0; i < options.Std.Count; i++)
            if (options.Std[i] + options.Epsilon <= 0)
                throw new ArgumentException($"normalize: option 'std' holds {options.Std[i]} at {i}; std + epsilon must be above 0.", nameof(options));
    }

    /// <summary>Draws nothing: normalize is deterministic.</summary>
    /// <param name="random">Not advanced.</param>
    /// <param name="image">Unused.</param>
    public override NoParams Sample(ref RandomStream random, in ImageInfo image) => default;

    private (float Mean, float Divisor) Channel(int c, int channels)
    {
        var o = Options;
        if ((o.Mean.Count != 1 && o.Mean.Count != channels) || (o.Std.Count != 1 && o.Std.Count != channels))
            throw new ArgumentException($"normalize: 'mean' has {o.Mean.Count} and 'std' {o.Std.Count} values, but the image has {channels} channels (give one value or one per channel).");
        return ((float)o.Mean[o.Mean.Count == 1 ? 0 : c], (float)o.Std[o.Std.Count == 1 ? 0 : c] + (float)o.Epsilon);
    }

    /// <summary>scale = 1 / (std + ε), offset = −mean / (std + ε), per channel (std + ε taken in float32, as the float
    /// path).</summary>
    /// <param name="p">Unused.</param>
    /// <param name="scale">Receives one multiplier per channel.</param>
    /// <param name="offset">Receives one addend per channel.</param>
    /// <exception cref="ArgumentException">mean or std has neither 1 nor C values.</exception>
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
    /// <param name="p">Unused.</param>
    /// <param name="scale">Per-channel scale so far; divided by std + epsilon.</param>
    /// <param name="offset">Per-channel offset so far; becomes (offset − mean) / (std + epsilon).</param>
    void IChannelAffineTransform<NoParams>.AppendTo(in NoParams p, Span<double> scale, Span<double> offset)
    {
        for (int c = 0; c < scale.Length; c++)
        {
            var (m, d) = Channel(c, scale.Length);
            scale[c] /= d;
            offset[c] = (offset[c] - m) / d;
        }
    }

    /// <summary>dst = (src − mean[c]) / (std[c] + ε) in float32.</summary>
    /// <param name="p">Unused.</param>
    /// <param name="src">The image; not modified unless it is also <paramref name="dst"/>.</param>
    /// <param name="dst">Receives the result; the same shape (may be <paramref name="src"/>).</param>
    /// <exception cref="ArgumentException">mean or std has neither 1 nor C values.</exception>
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
