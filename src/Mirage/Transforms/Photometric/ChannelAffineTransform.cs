using Mirage.Imaging;

namespace Mirage.Transforms.Photometric;

/// <summary>Base of per-channel affine steps (rescale, normalize): the image paths apply <see cref="IChannelAffineTransform{TParams}.ScaleOffset"/>.</summary>
/// <param name="options">The validated options.</param>
public abstract class ChannelAffineTransform<TOptions, TParams>(TOptions options) : Transform<TOptions, TParams>(options), IChannelAffineTransform<TParams>
    where TOptions : TransformOptions where TParams : unmanaged
{
    /// <inheritdoc/>
    public abstract void ScaleOffset(in TParams p, Span<double> scale, Span<double> offset);

    /// <summary>Applies v · scale[c] + offset[c] to every byte (computed in double, rounded half to even, clipped to
    /// 0..255).</summary>
    /// <param name="p">The parameters drawn for the image.</param>
    /// <param name="src">The image; not modified unless it is also <paramref name="dst"/>.</param>
    /// <param name="dst">Receives the result; at least as many values as <paramref name="src"/>.</param>
    public override void Apply(in TParams p, Image<byte> src, Image<byte> dst)
    {
        Span<double> s = stackalloc double[src.Channels], o = stackalloc double[src.Channels];
        ScaleOffset(p, s, o);
        PixelMath.ChannelAffine(src.Span, dst.Span, s, o);
    }
}
