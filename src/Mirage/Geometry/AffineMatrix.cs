namespace Mirage.Geometry;

/// <summary>Where the centre of rotation, shear and zoom sits.</summary>
public enum CentreConvention
{
    /// <summary>The true pixel centre, (n − 1) / 2. Mirage's default.</summary>
    PixelCentre,
    /// <summary>keras-preprocessing 1.1.x: n / 2 + 0.5, half a pixel past the true centre.</summary>
    Keras,
}

/// <summary>
/// A 2-D affine map in (row, col) coordinates, stored as the top two rows of a 3×3 matrix.
/// Warps use it as scipy.ndimage.affine_transform does: it maps an OUTPUT pixel to the INPUT position it samples.
/// </summary>
/// <param name="M00">Row coefficient of the row: row' = M00·row + M01·col + M02.</param>
/// <param name="M01">Column coefficient of the row.</param>
/// <param name="M02">Row offset, in pixels.</param>
/// <param name="M10">Row coefficient of the column: col' = M10·row + M11·col + M12.</param>
/// <param name="M11">Column coefficient of the column.</param>
/// <param name="M12">Column offset, in pixels.</param>
public readonly record struct AffineMatrix(double M00, double M01, double M02, double M10, double M11, double M12)
{
    /// <summary>The map that leaves every point where it is.</summary>
    public static AffineMatrix Identity => new(1, 0, 0, 0, 1, 0);

    /// <summary>Whether all six coefficients equal <see cref="Identity"/>'s exactly (no tolerance).</summary>
    public bool IsIdentity => this == Identity;

    /// <summary>Matrix product a·b (apply b first, then a).</summary>
    /// <param name="a">Applied second.</param>
    /// <param name="b">Applied first.</param>
    public static AffineMatrix operator *(in AffineMatrix a, in AffineMatrix b) => new(
        a.M00 * b.M00 + a.M01 * b.M10, a.M00 * b.M01 + a.M01 * b.M11, a.M00 * b.M02 + a.M01 * b.M12 + a.M02,
        a.M10 * b.M00 + a.M11 * b.M10, a.M10 * b.M01 + a.M11 * b.M11, a.M10 * b.M02 + a.M11 * b.M12 + a.M12);

    /// <summary>Applies the map to a point: for a warp matrix, the input position an output pixel samples.</summary>
    /// <param name="row">Row coordinate (0 = centre of the top row of pixels).</param>
    /// <param name="col">Column coordinate (0 = centre of the left column of pixels).</param>
    public (double Row, double Col) Map(double row, double col) =>
        (M00 * row + M01 * col + M02, M10 * row + M11 * col + M12);

    /// <summary>M00·M11 − M01·M10: the area scale of the map; 0 means it has no inverse.</summary>
    public double Determinant => M00 * M11 - M01 * M10;

    /// <summary>The map that undoes this one (for a warp matrix: input position → output pixel, which moves boxes and
    /// keypoints).</summary>
    /// <exception cref="InvalidOperationException">The matrix is singular or its determinant is not finite.</exception>
    public AffineMatrix Inverse()
    {
        double det = Determinant;
        if (det == 0 || !double.IsFinite(det))
            throw new InvalidOperationException($"The affine matrix {this} is singular and has no inverse (a zoom of 0?).");
        double i00 = M11 / det, i01 = -M01 / det, i10 = -M10 / det, i11 = M00 / det;
        return new(i00, i01, -(i00 * M02 + i01 * M12), i10, i11, -(i10 * M02 + i11 * M12));
    }

    /// <summary>Keras's rotation matrix for <paramref name="degrees"/>.</summary>
    /// <param name="degrees">Angle in degrees (Keras's theta), about the origin; centre it with <see cref="AboutCentre"/>.</param>
    public static AffineMatrix Rotation(double degrees)
    {
        double t = degrees * Math.PI / 180.0, c = Math.Cos(t), s = Math.Sin(t);
        return new(c, -s, 0, s, c, 0);
    }

    /// <summary>Keras's shift: <paramref name="tx"/> along rows, <paramref name="ty"/> along columns.</summary>
    /// <param name="tx">Pixels along rows (Keras's tx, drawn from height_shift_range); positive samples further down,
    /// so the content moves up.</param>
    /// <param name="ty">Pixels along columns (Keras's ty, drawn from width_shift_range); positive moves the content left.</param>
    public static AffineMatrix Shift(double tx, double ty) => new(1, 0, tx, 0, 1, ty);

    /// <summary>Keras's shear, angle in degrees.</summary>
    /// <param name="degrees">Shear angle in degrees (Keras's shear, drawn from shear_range).</param>
    public static AffineMatrix Shear(double degrees)
    {
        double t = degrees * Math.PI / 180.0;
        return new(1, -Math.Sin(t), 0, 0, Math.Cos(t), 0);
    }

    /// <summary>Keras's zoom: <paramref name="zx"/> scales rows, <paramref name="zy"/> columns (values above 1 zoom out).</summary>
    /// <param name="zx">Row scale of the sampling position (Keras's zx); 1 = none.</param>
    /// <param name="zy">Column scale of the sampling position (Keras's zy); 1 = none.</param>
    public static AffineMatrix Zoom(double zx, double zy) => new(zx, 0, 0, 0, zy, 0);

    /// <summary>Conjugates <paramref name="m"/> so it acts about the image centre (Keras's transform_matrix_offset_center).</summary>
    /// <param name="m">A map about the origin (pixel (0, 0)).</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="centre">(n − 1) / 2 (the true pixel centre) or Keras 1.1.x's n / 2 + 0.5.</param>
    /// <returns>Shift(o)·m·Shift(−o), o the centre.</returns>
    public static AffineMatrix AboutCentre(in AffineMatrix m, int height, int width, CentreConvention centre)
    {
        double oRow = centre == CentreConvention.Keras ? height / 2.0 + 0.5 : (height - 1) / 2.0;
        double oCol = centre == CentreConvention.Keras ? width / 2.0 + 0.5 : (width - 1) / 2.0;
        return Shift(oRow, oCol) * m * Shift(-oRow, -oCol);
    }

    /// <summary>
    /// Keras's apply_affine_transform matrix R·T·S·Z about the centre, or null when every parameter is neutral
    /// (Keras then leaves the image untouched, with no resampling at all).
    /// </summary>
    /// <param name="theta">Rotation in degrees.</param>
    /// <param name="tx">Shift along rows, pixels.</param>
    /// <param name="ty">Shift along columns, pixels.</param>
    /// <param name="shear">Shear angle in degrees.</param>
    /// <param name="zx">Row zoom (1 = none; above 1 zooms out).</param>
    /// <param name="zy">Column zoom (1 = none; above 1 zooms out).</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="centre">Where the centre sits (see <see cref="CentreConvention"/>).</param>
    public static AffineMatrix? FromKeras(double theta, double tx, double ty, double shear, double zx, double zy,
        int height, int width, CentreConvention centre)
    {
        if (theta == 0 && tx == 0 && ty == 0 && shear == 0 && zx == 1 && zy == 1) return null;
        var m = Rotation(theta) * Shift(tx, ty) * Shear(shear) * Zoom(zx, zy);
        return AboutCentre(m, height, width, centre);
    }
}
