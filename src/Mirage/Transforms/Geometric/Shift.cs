using Mirage.Generation;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Randomness;

namespace Mirage.Transforms.Geometric;

/// <summary>Options of <see cref="Shift"/> (Keras's height_shift_range and width_shift_range, uniform form).</summary>
public sealed record ShiftOptions : WarpTransformOptions
{
    public override string Name => "shift";
    public override ITransform Create() => new Shift(this);

    [Option("shift along rows drawn from [-height, height]: a fraction of the height below 1, pixels from 1", Min = 0)]
    public double Height { get; init => field = Checked(value); }

    [Option("shift along columns drawn from [-width, width]: a fraction of the width below 1, pixels from 1", Min = 0)]
    public double Width { get; init => field = Checked(value); }

    /// <summary>Keras's height_shift_range in any of its forms (an int N, a list); overrides <see cref="Height"/> (the Keras preset sets it).</summary>
    internal ShiftRange? HeightRange { get; init; }

    /// <summary>Keras's width_shift_range in any of its forms; overrides <see cref="Width"/>.</summary>
    internal ShiftRange? WidthRange { get; init; }
}

/// <summary>The shift drawn in pixels: along rows (Keras's tx) and along columns (Keras's ty).</summary>
public readonly record struct ShiftParams(double Rows, double Cols);

/// <summary>Shifts by amounts drawn in Keras's order (rows, then columns; nothing drawn for a range of 0).</summary>
public sealed class Shift(ShiftOptions options) : WarpTransform<ShiftOptions, ShiftParams>(options), ICentredWarp<ShiftParams>
{
    private readonly ShiftRange _rows = options.HeightRange ?? ShiftRange.Uniform(options.Height);
    private readonly ShiftRange _cols = options.WidthRange ?? ShiftRange.Uniform(options.Width);

    public override ShiftParams Sample(ref RandomStream random, in ImageInfo image)
    {
        double rows = _rows.IsActive ? _rows.Sample(image.Height, ref random) : 0;
        return new(rows, _cols.IsActive ? _cols.Sample(image.Width, ref random) : 0);
    }

    public override AffineMatrix Matrix(in ShiftParams p, in ImageInfo input, in ImageInfo output) =>
        AboutCentre(Linear(p), input);

    /// <summary>The matrix about the origin (Keras's shift matrix).</summary>
    public AffineMatrix Linear(in ShiftParams p) => AffineMatrix.Shift(p.Rows, p.Cols);

    CentreConvention ICentredWarp<ShiftParams>.Centre => Options.Centre;
}
