namespace Mirage.Kernels.Geometric;

/// <summary>
/// How an affine warp resamples. <see cref="KerasCompatible"/> reproduces keras-preprocessing 1.1.x exactly:
/// its centre at n/2 + 0.5 (see <see cref="Geometry.CentreConvention.Keras"/>) and scipy's legacy wrap of period n − 1.
/// Otherwise the centre is the true pixel centre and wrap is periodic.
/// </summary>
/// <param name="Interpolation">Resampling order (Keras's interpolation_order): nearest or bilinear.</param>
/// <param name="FillMode">How points outside the input are filled (Keras's fill_mode).</param>
/// <param name="Cval">The fill value for <see cref="Mirage.Kernels.Geometric.FillMode.Constant"/> (Keras's cval), on the image's value scale.</param>
/// <param name="KerasCompatible">Reproduce keras-preprocessing 1.1.x's centre and scipy's legacy wrap exactly.</param>
public readonly record struct WarpOptions(
    Interpolation Interpolation = Interpolation.Bilinear,
    FillMode FillMode = FillMode.Nearest,
    float Cval = 0f,
    bool KerasCompatible = false)
{
    /// <summary>The centre convention implied by <see cref="KerasCompatible"/>: Keras (n/2 + 0.5) or the true pixel
    /// centre ((n − 1)/2).</summary>
    public Geometry.CentreConvention Centre => KerasCompatible ? Geometry.CentreConvention.Keras : Geometry.CentreConvention.PixelCentre;
}
