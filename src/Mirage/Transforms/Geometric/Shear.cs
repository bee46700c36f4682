using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Randomness;

namespace Mirage.Transforms.Geometric;

/// <summary>Options of <see cref="Shear"/> (Keras's shear_range).</summary>
public sealed record ShearOptions : WarpTransformOptions
{
    public override string Name => "shear";
    public override ITransform Create() => new Shear(this);

    [Option("shear angle in degrees, drawn uniformly from [-degrees, degrees] (near 90 the image collapses to a line)", Min = 0)]
    public double Degrees { get; init => field = Checked(value); }
}

/// <summary>The shear angle drawn, in degrees (Keras's shear).</summary>
public readonly record struct ShearParams(double Degrees);

/// <summary>Shears about the centre with Keras's matrix (rows by −sin, columns by cos of the angle).</summary>
public sealed class Shear(ShearOptions options) : WarpTransform<ShearOptions, ShearParams>(options), ICentredWarp<ShearParams>
{
    public override ShearParams Sample(ref RandomStream random, in ImageInfo image) =>
        new(Options.Degrees != 0 ? random.Uniform(-Options.Degrees, Options.Degrees) : 0);

    public override AffineMatrix Matrix(in ShearParams p, in ImageInfo input, in ImageInfo output) =>
        AboutCentre(Linear(p), input);

    /// <summary>The matrix about the origin (Keras's shear matrix).</summary>
    public AffineMatrix Linear(in ShearParams p) => AffineMatrix.Shear(p.Degrees);

    CentreConvention ICentredWarp<ShearParams>.Centre => Options.Centre;
}
