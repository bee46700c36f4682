using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Randomness;

namespace Mirage.Transforms.Geometric;

/// <summary>Options of <see cref="Rotate"/> (Keras's rotation_range).</summary>
public sealed record RotateOptions : WarpTransformOptions
{
    public override string Name => "rotate";
    public override ITransform Create() => new Rotate(this);

    [Option("rotation in degrees, drawn uniformly from [-degrees, degrees] (180 or more: every angle)", Min = 0)]
    public double Degrees { get; init => field = Checked(value); }
}

/// <summary>The angle drawn, in degrees (Keras's theta).</summary>
public readonly record struct RotateParams(double Degrees);

/// <summary>Rotates about the centre by an angle drawn from [-degrees, degrees] (nothing is drawn when degrees is 0, as in Keras).</summary>
public sealed class Rotate(RotateOptions options) : WarpTransform<RotateOptions, RotateParams>(options), ICentredWarp<RotateParams>
{
    public override RotateParams Sample(ref RandomStream random, in ImageInfo image) =>
        new(Options.Degrees != 0 ? random.Uniform(-Options.Degrees, Options.Degrees) : 0);

    public override AffineMatrix Matrix(in RotateParams p, in ImageInfo input, in ImageInfo output) =>
        AboutCentre(Linear(p), input);

    /// <summary>The matrix about the origin (Keras's rotation matrix).</summary>
    public AffineMatrix Linear(in RotateParams p) => AffineMatrix.Rotation(p.Degrees);

    CentreConvention ICentredWarp<RotateParams>.Centre => Options.Centre;
}
