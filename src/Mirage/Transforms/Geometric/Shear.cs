using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Randomness;

namespace Mirage.Transforms.Geometric;

/// <summary>Options of <see cref="Shear"/> (Keras's shear_range).</summary>
public sealed record ShearOptions : WarpTransformOptions
{
    /// <summary><c>shear</c>.</summary>
    public override string Name => "shear";
    /// <summary>A new <see cref="Shear"/>.</summary>
    public override ITransform Create() => new Shear(this);

    /// <summary>The largest shear angle in degrees, ≥ 0 (Keras's shear_range); drawn uniformly from
    /// [−degrees, degrees]; default 0.</summary>
    [Option("shear angle in degrees, drawn uniformly from [-degrees, degrees] (near 90 the image collapses to a line)", Min = 0)]
    public double Degrees { get; init => field = Checked(value); }
}

/// <summary>The shear angle drawn, in degrees (Keras's shear).</summary>
/// <param name="Degrees">The shear angle in degrees.</param>
public readonly record struct ShearParams(double Degrees);

/// <summary>Shears about the centre with Keras's matrix (rows by −sin, columns by cos of the angle).</summary>
/// <param name="options">The validated options.</param>
public sealed class Shear(ShearOptions options) : WarpTransform<ShearOptions, ShearParams>(options), ICentredWarp<ShearParams>
{
    /// <summary>Draws the angle uniformly from [−degrees, degrees] (one draw; none when degrees is 0).</summary>
    /// <param name="random">The sample's stream.</param>
    /// <param name="image">The image's shape (unused).</param>
    public override ShearParams Sample(ref RandomStream random, in ImageInfo image) =>
        new(Options.Degrees != 0 ? random.Uniform(-Options.Degrees, Options.Degrees) : 0);

    /// <summary>Keras's shear matrix about the centre of <paramref name="input"/>.</summary>
    /// <param name="p">The angle.</param>
    /// <param name="input">The input shape, whose centre is used.</param>
    /// <param name="output">The output shape (the input's).</param>
    public override AffineMatrix Matrix(in ShearParams p, in ImageInfo input, in ImageInfo output) =>
        AboutCentre(Linear(p), input);

    /// <summary>The matrix about the origin (Keras's shear matrix).</summary>
    public AffineMatrix Linear(in ShearParams p) => AffineMatrix.Shear(p.Degrees);

    CentreConvention ICentredWarp<ShearParams>.Centre => Options.Centre;
}
