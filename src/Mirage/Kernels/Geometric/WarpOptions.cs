namespace Mirage.Kernels.Geometric;

/// <summary>
/// How an affine warp resamples. <see cref="KerasCompatible"/> reproduces keras-preprocessing 1.1.x exactly:
/// its centre at n/2 + 0.5 (see <see cref="Geometry.CentreConvention.Keras"/>) and scipy's legacy wrap of period n − 1.
/// Otherwise the centre is the true pixel centre and wrap is periodic.
/// </summary>
public readonly record struct WarpOptions(
    Interpolation Interpolation = Interpolation.Bilinear,
    FillMode FillMode = FillMode.Nearest,
    float Cval = 0f,
    bool KerasCompatible = false)
{
    public Geometry.CentreConvention Centre => KerasCompatible ? Geometry.CentreConvention.Keras : Geometry.CentreConvention.PixelCentre;
}
