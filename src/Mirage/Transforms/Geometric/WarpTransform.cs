using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;

namespace Mirage.Transforms.Geometric;

/// <summary>Options every warping transform shares: how pixels are resampled and where the centre sits.</summary>
public abstract record WarpTransformOptions : TransformOptions
{
    [Option("resampling: nearest (order 0) or bilinear (order 1)")]
    public Interpolation Interpolation { get; init; } = Interpolation.Bilinear;

    [Option("how points outside the input are filled: constant, nearest, reflect or wrap")]
    public FillMode FillMode { get; init; } = FillMode.Nearest;

    [Option("the value of fill_mode constant")]
    public double Cval { get; init => field = Checked(value); }

    [Option("the centre of rotation/shear/zoom: pixel_centre ((n-1)/2) or keras (n/2 + 0.5, keras-preprocessing's)")]
    public CentreConvention Centre { get; init; } = CentreConvention.PixelCentre;

    /// <summary>The warp these options ask for (Keras's centre also selects scipy's legacy wrap).</summary>
    public WarpOptions Warp => new(Interpolation, FillMode, (float)Cval, Centre == CentreConvention.Keras);
}

/// <summary>
/// A transform that is one affine warp: subclasses give the matrix (about the centre, in output → input direction);
/// the image is warped with <see cref="WarpAffine"/>, or copied when the matrix is the identity.
/// </summary>
public abstract class WarpTransform<TOptions, TParams>(TOptions options) : Transform<TOptions, TParams>(options), IGeometricTransform<TParams>
    where TOptions : WarpTransformOptions where TParams : unmanaged
{
    public WarpOptions Warp => Options.Warp;

    public abstract AffineMatrix Matrix(in TParams p, in ImageInfo input, in ImageInfo output);

    public virtual bool WarpsExactly(in TParams p) => true;

    /// <summary><paramref name="m"/> acting about the image centre of <paramref name="input"/>, in the options' convention.</summary>
    protected AffineMatrix AboutCentre(in AffineMatrix m, in ImageInfo input) =>
        AffineMatrix.AboutCentre(m, input.Height, input.Width, Options.Centre);

    public override void Apply(in TParams p, Image<byte> src, Image<byte> dst)
    {
        var m = Matrix(p, src.Info, dst.Info);
        if (m.IsIdentity && src.Info == dst.Info) src.Span.CopyTo(dst.Span);
        else WarpAffine.Apply(src, dst, m, Warp);
    }

    public override void Apply(in TParams p, Image<float> src, Image<float> dst)
    {
        var m = Matrix(p, src.Info, dst.Info);
        if (m.IsIdentity && src.Info == dst.Info) src.Span.CopyTo(dst.Span);
        else WarpAffine.Apply(src, dst, m, Warp);
    }
}
