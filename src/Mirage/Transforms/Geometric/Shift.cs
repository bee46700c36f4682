using Mirage.Generation;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Randomness;

namespace Mirage.Transforms.Geometric;

/// <summary>Options of <see cref="Shift"/> (Keras's height_shift_range and width_shift_range, uniform form).</summary>
public sealed record ShiftOptions : WarpTransformOptions
{
    /// <summary><c>shift</c>.</summary>
    public override string Name => "shift";
    /// <summary>A new <see cref="Shift"/>.</summary>
    public override ITransform Create() => new Shift(this);

    /// <summary>Vertical range (Keras's height_shift_range as a float): a fraction of the height below 1, pixels from 1;
    /// ≥ 0; default 0.</summary>
    [Option("shift along rows drawn from [-height, height]: a fraction of the height below 1, pixels from 1", Min = 0)]
    public double Height { get; init => field = Checked(value); }

    /// <summary>Horizontal range (Keras's width_shift_range as a float): a fraction of the width below 1, pixels from 1;
    /// ≥ 0; default 0.</summary>
    [Option("shift along columns drawn from [-width, width]: a fraction of the width below 1, pixels from 1", Min = 0)]
    public double Width { get; init => field = Checked(value); }

    /// <summary>Keras's height_shift_range in any of its forms (an int N, a list); overrides <see cref="Height"/> (the Keras preset sets it).</summary>
    internal ShiftRange? HeightRange { get; init; }

    /// <summary>Keras's width_shift_range in any of its forms; overrides <see cref="Width"/>.</summary>
    internal ShiftRange? WidthRange { get; init; }
}

/// <summary>The shift drawn in pixels: along rows (Keras's tx) and along columns (Keras's ty).</summary>
/// <param name="Rows">Pixels along rows (Keras's tx); positive moves the content up.</param>
/// <param name="Cols">Pixels along columns (Keras's ty); positive moves the content left.</param>
public readonly record struct ShiftParams(double Rows, double Cols);

/// <summary>Shifts by amounts drawn in Keras's order (rows, then columns; nothing drawn for a range of 0).</summary>
/// <param name="options">The validated options.</param>
public sealed class Shift(ShiftOptions options) : WarpTransform<ShiftOptions, ShiftParams>(options), ICentredWarp<ShiftParams>
{
    private readonly ShiftRange _rows = options.HeightRange ?? ShiftRange.Uniform(options.Height);
    private readonly ShiftRange _cols = options.WidthRange ?? ShiftRange.Uniform(options.Width);

    /// <summary>Draws the row shift, then the column shift, as Keras does (uniform in (−range, range), a choice for an
    /// int or a list; a fractional range scales by the image's size); nothing is drawn for an inactive range.</summary>
    /// <param name="random">The sample's stream.</param>
    /// <param name="image">The image's shape; fractional ranges scale by its height and width.</param>
    public override ShiftParams Sample(ref RandomStream random, in ImageInfo image)
    {
        double rows = _rows.IsActive ? _rows.Sample(image.Height, ref random) : 0;
        return new(rows, _cols.IsActive ? _cols.Sample(image.Width, ref random) : 0);
    }

    /// <summary>Keras's shift matrix (conjugated about the centre, which leaves a shift unchanged).</summary>
    /// <param name="p">The shifts in pixels.</param>
    /// <param name="input">The input shape.</param>
    /// <param name="output">The output shape (the input's).</param>
    public override AffineMatrix Matrix(in ShiftParams p, in ImageInfo input, in ImageInfo output) =>
        AboutCentre(Linear(p), input);

    /// <summary>The matrix about the origin (Keras's shift matrix).</summary>
    public AffineMatrix Linear(in ShiftParams p) => AffineMatrix.Shift(p.Rows, p.Cols);

    CentreConvention ICentredWarp<ShiftParams>.Centre => Options.Centre;
}
