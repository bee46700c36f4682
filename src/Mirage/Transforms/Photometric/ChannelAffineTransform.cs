using Mirage.Imaging;

namespace Mirage.Transforms.Photometric;

/// <summary>Base of per-channel affine steps (rescale, normalize): the image paths apply <see cref="IChannelAffineTransform{TParams}.ScaleOffset"/>.</summary>
public abstract class ChannelAffineTransform<TOptions, TParams>(TOptions options) : Transform<TOptions, TParams>(options), IChannelAffineTransform<TParams>
    where TOptions : TransformOptions where TParams : unmanaged
{
    public abstract void ScaleOffset(in TParams p, Span<double> scale, Span<double> offset);

    public override void Apply(in TParams p, Image<byte> src, Image<byte> dst)
    {
        Span<double> s = stackalloc double[src.Channels], o = stackalloc double[src.Channels];
        ScaleOffset(p, s, o);
        PixelMath.ChannelAffine(src.Span, dst.Span, s, o);
    }
}
