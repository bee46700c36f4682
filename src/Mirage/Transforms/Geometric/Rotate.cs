using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Randomness;

namespace Mirage.Transforms.Geometric;

/// <summary>Options of <see cref="Rotate"/> (Keras's rotation_range).</summary>
public sealed record RotateOptions : WarpTransformOptions
{
    /// <summary><c>rotate</c>.</summary>
    public override string Name => "rotate";
    /// <summary>A new <see cref="Rotate"/>.</summary>
    public override ITransform Create() => new Rotate(this);

    /// <summary>The largest angle in degrees, ≥ 0 (Keras's rotation_range; 180 or more draws every angle); the angle is drawn uniformly from
    /// [−degrees, degrees]; default 0 (no rotation).</summary>
    [Option("rotation in degrees, drawn uniformly from [-degrees, degrees] (180 or more: every angle)", Min = 0)]
    public double Degrees { get; init => field = Checked(value); }
}

/// <summary>The angle drawn, in degrees (Keras's theta).</summary>
/// <param name="Degrees">The angle in degrees; positive turns the content clockwise as displayed (Keras's rotation
/// matrix, output → input).</param>
public readonly record struct RotateParams(double Degrees);

/// <summary>Rotates about the centre by an angle drawn from [-degrees, degrees] (nothing is drawn when degrees is 0, as in Keras).</summary>
/// <param name="options">The validated options.</param>
public sealed class Rotate(RotateOptions options) : WarpTransform<RotateOptions, RotateParams>(options), ICentredWarp<RotateParams>
{
    /// <summary>Draws the angle uniformly from [−degrees, degrees] (one draw; none when degrees is 0).</summary>
    /// <param name="random">The sample's stream.</param>
    /// <param name="image">The image's shape (unused: the angle does not depend on it).</param>
    public override RotateParams Sample(ref RandomStream random, in ImageInfo image) =>
        new(Options.Degrees != 0 ? random.Uniform(-Options.Degrees, Options.Degrees) : 0);

    /// <summary>Keras's rotation matrix about the centre of <paramref name="input"/>.</summary>
    /// <param name="p">The angle.</param>
    /// <param name="input">The input shape, whose centre is used.</param>
    /// <param name="output">The output shape (the input's).</param>
    public override AffineMatrix Matrix(in RotateParams p, in ImageInfo input, in ImageInfo output) =>
        AboutCentre(Linear(p), input);

    /// <summary>The matrix about the origin (Keras's rotation matrix).</summary>
    public AffineMatrix Linear(in RotateParams p) => AffineMatrix.Rotation(p.Degrees);

    CentreConvention ICentredWarp<RotateParams>.Centre => Options.Centre;
}
