using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;

namespace Mirage.Transforms.Geometric;

/// <summary>Options of <see cref="HorizontalFlip"/> and <see cref="VerticalFlip"/>.</summary>
public abstract record FlipOptions : WarpTransformOptions
{
    [Option("probability of flipping (one draw per image, always made, as Keras does)", Min = 0, Max = 1)]
    public double P { get; init => field = Checked(value); } = 0.5;
}

public sealed record HorizontalFlipOptions : FlipOptions
{
    public override string Name => "horizontal_flip";
    public override ITransform Create() => new HorizontalFlip(this);
}

public sealed record VerticalFlipOptions : FlipOptions
{
    public override string Name => "vertical_flip";
    public override ITransform Create() => new VerticalFlip(this);
}

/// <summary>Whether the flip happened.</summary>
public readonly record struct FlipParams(bool Flip);

/// <summary>A mirror as a warp matrix (so it fuses), applied with the exact flip kernel when it runs alone.</summary>
public abstract class FlipTransform<TOptions>(TOptions options) : WarpTransform<TOptions, FlipParams>(options) where TOptions : FlipOptions
{
    public override FlipParams Sample(ref RandomStream random, in ImageInfo image) => new(random.NextDouble() < Options.P);

    protected abstract void Mirror<T>(Image<T> src, Image<T> dst) where T : unmanaged;

    public override void Apply(in FlipParams p, Image<byte> src, Image<byte> dst)
    {
        if (p.Flip) Mirror(src, dst);
        else src.Span.CopyTo(dst.Span);
    }

    public override void Apply(in FlipParams p, Image<float> src, Image<float> dst)
    {
        if (p.Flip) Mirror(src, dst);
        else src.Span.CopyTo(dst.Span);
    }
}

/// <summary>Mirrors left–right with probability p: output (r, c) samples (r, w − 1 − c).</summary>
public sealed class HorizontalFlip(HorizontalFlipOptions options) : FlipTransform<HorizontalFlipOptions>(options)
{
    public override AffineMatrix Matrix(in FlipParams p, in ImageInfo input, in ImageInfo output) =>
        p.Flip ? new(1, 0, 0, 0, -1, input.Width - 1) : AffineMatrix.Identity;

    protected override void Mirror<T>(Image<T> src, Image<T> dst) => Flip.Horizontal(src, dst);
}

/// <summary>Mirrors top–bottom with probability p: output (r, c) samples (h − 1 − r, c).</summary>
public sealed class VerticalFlip(VerticalFlipOptions options) : FlipTransform<VerticalFlipOptions>(options)
{
    public override AffineMatrix Matrix(in FlipParams p, in ImageInfo input, in ImageInfo output) =>
        p.Flip ? new(-1, 0, input.Height - 1, 0, 1, 0) : AffineMatrix.Identity;

    protected override void Mirror<T>(Image<T> src, Image<T> dst) => Flip.Vertical(src, dst);
}
