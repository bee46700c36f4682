using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;

namespace Mirage.Transforms.Geometric;

/// <summary>Options of <see cref="HorizontalFlip"/> and <see cref="VerticalFlip"/>.</summary>
public abstract record FlipOptions : WarpTransformOptions
{
    /// <summary>Probability of flipping, in [0, 1]; default 0.5 (Keras's horizontal_flip/vertical_flip = true). One draw
    /// per image is always made, flip or not, as Keras does.</summary>
    [Option("probability of flipping (one draw per image, always made, as Keras does)", Min = 0, Max = 1)]
    public double P { get; init => field = Checked(value); } = 0.5;
}

/// <summary>Options of <see cref="HorizontalFlip"/> (Keras's horizontal_flip).</summary>
public sealed record HorizontalFlipOptions : FlipOptions
{
    /// <summary><c>horizontal_flip</c>.</summary>
    public override string Name => "horizontal_flip";
    /// <summary>A new <see cref="HorizontalFlip"/>.</summary>
    public override ITransform Create() => new HorizontalFlip(this);
}

/// <summary>Options of <see cref="VerticalFlip"/> (Keras's vertical_flip).</summary>
public sealed record VerticalFlipOptions : FlipOptions
{
    /// <summary><c>vertical_flip</c>.</summary>
    public override string Name => "vertical_flip";
    /// <summary>A new <see cref="VerticalFlip"/>.</summary>
    public override ITransform Create() => new VerticalFlip(this);
}

/// <summary>Whether the flip happened.</summary>
/// <param name="Flip">True when the image is mirrored; false leaves it unchanged.</param>
public readonly record struct FlipParams(bool Flip);

/// <summary>A mirror as a warp matrix (so it fuses), applied with the exact flip kernel when it runs alone.</summary>
/// <param name="options">The validated options.</param>
public abstract class FlipTransform<TOptions>(TOptions options) : WarpTransform<TOptions, FlipParams>(options) where TOptions : FlipOptions
{
    /// <summary>One draw: flip when it falls below p.</summary>
    /// <param name="random">The sample's stream.</param>
    /// <param name="image">The image's shape (unused).</param>
    public override FlipParams Sample(ref RandomStream random, in ImageInfo image) => new(random.NextDouble() < Options.P);

    /// <summary>Mirrors <paramref name="src"/> into <paramref name="dst"/> with the exact flip kernel (<see cref="Mirage.Kernels.Geometric.Flip"/>).</summary>
    /// <typeparam name="T">byte or float.</typeparam>
    /// <param name="src">The image.</param>
    /// <param name="dst">Receives the mirror; the same shape.</param>
    protected abstract void Mirror<T>(Image<T> src, Image<T> dst) where T : unmanaged;

    /// <summary>Mirrors <paramref name="src"/> into <paramref name="dst"/> when <paramref name="p"/> says so, else copies
    /// it.</summary>
    /// <param name="p">Whether to flip.</param>
    /// <param name="src">The image; not modified unless it is also <paramref name="dst"/>.</param>
    /// <param name="dst">Receives the result; the same shape as <paramref name="src"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> has another shape.</exception>
    public override void Apply(in FlipParams p, Image<byte> src, Image<byte> dst)
    {
        if (p.Flip) Mirror(src, dst);
        else src.Span.CopyTo(dst.Span);
    }

    /// <inheritdoc cref="Apply(in FlipParams, Image{byte}, Image{byte})"/>
    public override void Apply(in FlipParams p, Image<float> src, Image<float> dst)
    {
        if (p.Flip) Mirror(src, dst);
        else src.Span.CopyTo(dst.Span);
    }
}

/// <summary>Mirrors left–right with probability p: output (r, c) samples (r, w − 1 − c).</summary>
/// <param name="options">The validated options.</param>
public sealed class HorizontalFlip(HorizontalFlipOptions options) : FlipTransform<HorizontalFlipOptions>(options)
{
    /// <summary>Column c samples column w − 1 − c when flipped; the identity otherwise.</summary>
    /// <param name="p">Whether to flip.</param>
    /// <param name="input">The input shape (its width is used).</param>
    /// <param name="output">The output shape (the input's).</param>
    public override AffineMatrix Matrix(in FlipParams p, in ImageInfo input, in ImageInfo output) =>
        p.Flip ? new(1, 0, 0, 0, -1, input.Width - 1) : AffineMatrix.Identity;

    /// <inheritdoc/>
    protected override void Mirror<T>(Image<T> src, Image<T> dst) => Flip.Horizontal(src, dst);
}

/// <summary>Mirrors top–bottom with probability p: output (r, c) samples (h − 1 − r, c).</summary>
/// <param name="options">The validated options.</param>
public sealed class VerticalFlip(VerticalFlipOptions options) : FlipTransform<VerticalFlipOptions>(options)
{
    /// <summary>Row r samples row h − 1 − r when flipped; the identity otherwise.</summary>
    /// <param name="p">Whether to flip.</param>
    /// <param name="input">The input shape (its height is used).</param>
    /// <param name="output">The output shape (the input's).</param>
    public override AffineMatrix Matrix(in FlipParams p, in ImageInfo input, in ImageInfo output) =>
        p.Flip ? new(-1, 0, input.Height - 1, 0, 1, 0) : AffineMatrix.Identity;

    /// <inheritdoc/>
    protected override void Mirror<T>(Image<T> src, Image<T> dst) => Flip.Vertical(src, dst);
}
