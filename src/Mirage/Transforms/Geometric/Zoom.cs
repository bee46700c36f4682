using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Randomness;

namespace Mirage.Transforms.Geometric;

/// <summary>Options of <see cref="Zoom"/> (Keras's zoom_range).</summary>
public sealed record ZoomOptions : WarpTransformOptions
{
    /// <summary><c>zoom</c>.</summary>
    public override string Name => "zoom";
    /// <summary>A new <see cref="Zoom"/>.</summary>
    public override ITransform Create() => new Zoom(this);

    /// <summary>Keras's zoom_range as [low, high], each end in 1e-6..1e6; rows and columns draw independently; above 1
    /// zooms out; default [1, 1] (no zoom).</summary>
    [Option("zoom of rows and of columns, each drawn from [low, high]; above 1 zooms out (Keras's convention)", Min = 1e-6, Max = 1e6)]
    public Interval Range { get; init => field = Checked(value); } = new(1, 1);
}

/// <summary>The zooms drawn: of rows (Keras's zx) and of columns (Keras's zy).</summary>
/// <param name="Rows">Scale of the row sampling position (Keras's zx); 1 = none, above 1 zooms out.</param>
/// <param name="Cols">Scale of the column sampling position (Keras's zy).</param>
public readonly record struct ZoomParams(double Rows, double Cols);

/// <summary>Zooms about the centre; rows then columns are drawn (none when the range is [1, 1], as in Keras).</summary>
/// <param name="options">The validated options.</param>
public sealed class Zoom(ZoomOptions options) : WarpTransform<ZoomOptions, ZoomParams>(options), ICentredWarp<ZoomParams>
{
    /// <summary>Draws the row zoom, then the column zoom, uniformly from the range (two draws; none for [1, 1]).</summary>
    /// <param name="random">The sample's stream.</param>
    /// <param name="image">The image's shape (unused).</param>
    public override ZoomParams Sample(ref RandomStream random, in ImageInfo image)
    {
        var r = Options.Range;
        if (r.Low == 1 && r.High == 1) return new(1, 1);
        double zx = random.Uniform(r.Low, r.High);
        return new(zx, random.Uniform(r.Low, r.High));
    }

    /// <summary>Keras's zoom matrix about the centre of <paramref name="input"/>.</summary>
    /// <param name="p">The zooms.</param>
    /// <param name="input">The input shape, whose centre is used.</param>
    /// <param name="output">The output shape (the input's).</param>
    public override AffineMatrix Matrix(in ZoomParams p, in ImageInfo input, in ImageInfo output) =>
        AboutCentre(Linear(p), input);

    /// <summary>The matrix about the origin (Keras's zoom matrix).</summary>
    public AffineMatrix Linear(in ZoomParams p) => AffineMatrix.Zoom(p.Rows, p.Cols);

    CentreConvention ICentredWarp<ZoomParams>.Centre => Options.Centre;
}
