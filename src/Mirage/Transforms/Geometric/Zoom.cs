using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Randomness;

namespace Mirage.Transforms.Geometric;

/// <summary>Options of <see cref="Zoom"/> (Keras's zoom_range).</summary>
public sealed record ZoomOptions : WarpTransformOptions
{
    public override string Name => "zoom";
    public override ITransform Create() => new Zoom(this);

    [Option("zoom of rows and of columns, each drawn from [low, high]; above 1 zooms out (Keras's convention)", Min = 1e-6, Max = 1e6)]
    public Interval Range { get; init => field = Checked(value); } = new(1, 1);
}

/// <summary>The zooms drawn: of rows (Keras's zx) and of columns (Keras's zy).</summary>
public readonly record struct ZoomParams(double Rows, double Cols);

/// <summary>Zooms about the centre; rows then columns are drawn (none when the range is [1, 1], as in Keras).</summary>
public sealed class Zoom(ZoomOptions options) : WarpTransform<ZoomOptions, ZoomParams>(options), ICentredWarp<ZoomParams>
{
    public override ZoomParams Sample(ref RandomStream random, in ImageInfo image)
    {
        var r = Options.Range;
        if (r.Low == 1 && r.High == 1) return new(1, 1);
        double zx = random.Uniform(r.Low, r.High);
        return new(zx, random.Uniform(r.Low, r.High));
    }

    public override AffineMatrix Matrix(in ZoomParams p, in ImageInfo input, in ImageInfo output) =>
        AboutCentre(Linear(p), input);

    /// <summary>The matrix about the origin (Keras's zoom matrix).</summary>
    public AffineMatrix Linear(in ZoomParams p) => AffineMatrix.Zoom(p.Rows, p.Cols);

    CentreConvention ICentredWarp<ZoomParams>.Centre => Options.Centre;
}
