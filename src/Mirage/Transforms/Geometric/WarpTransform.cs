using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;

namespace Mirage.Transforms.Geometric;

/// <summary>Options every warping transform shares: how pixels are resampled and where the centre sits.</summary>
public abstract record WarpTransformOptions : TransformOptions
{
    /// <summary>Resampling: nearest (order 0) or bilinear (order 1, the default), Keras's interpolation_order.</summary>
    [Option("resampling: nearest (order 0) or bilinear (order 1)")]
    public Interpolation Interpolation { get; init; } = Interpolation.Bilinear;

    /// <summary>How points outside the input are filled (Keras's fill_mode); default nearest.</summary>
    [Option("how points outside the input are filled: constant, nearest, reflect or wrap")]
    public FillMode FillMode { get; init; } = FillMode.Nearest;

    /// <summary>The fill value of fill_mode constant (Keras's cval), on the image's scale (rounded and clipped to
    /// 0..255 for byte images); finite; default 0.</summary>
    [Option("the value of fill_mode constant")]
    public double Cval { get; init => field = Checked(value); }

    /// <summary>The centre of rotation, shear and zoom: the true pixel centre (default) or Keras 1.1.x's n/2 + 0.5, which
    /// also selects scipy's legacy wrap.</summary>
    [Option("the centre of rotation/shear/zoom: pixel_centre ((n-1)/2) or keras (n/2 + 0.5, keras-preprocessing's)")]
    public CentreConvention Centre { get; init; } = CentreConvention.PixelCentre;

    /// <summary>The warp these options ask for (Keras's centre also selects scipy's legacy wrap).</summary>
    public WarpOptions Warp => new(Interpolation, FillMode, (float)Cval, Centre == CentreConvention.Keras);
}

/// <summary>
/// A transform that is one affine warp: subclasses give the matrix (about the centre, in output → input direction);
/// the image is warped with <see cref="WarpAffine"/>, or copied when the matrix is the identity.
/// </summary>
/// <param name="options">The validated options.</param>
public abstract class WarpTransform<TOptions, TParams>(TOptions options) : Transform<TOptions, TParams>(options), IGeometricTransform<TParams>
    where TOptions : WarpTransformOptions where TParams : unmanaged
{
    /// <inheritdoc/>
    public WarpOptions Warp => Options.Warp;

    /// <summary>Output pixel → input position for <paramref name="p"/>, usually built about the centre with
    /// <see cref="AboutCentre"/>.</summary>
    /// <param name="p">The parameters drawn for the image.</param>
    /// <param name="input">The shape of the image the parameters were drawn for.</param>
    /// <param name="output">The output shape (<see cref="Transform{TOptions, TParams}.OutputInfo"/>).</param>
    public abstract AffineMatrix Matrix(in TParams p, in ImageInfo input, in ImageInfo output);

    /// <summary>True: the output is exactly one warp with <see cref="Matrix"/> (override when it is not, e.g. an
    /// antialiased resize).</summary>
    /// <param name="p">The parameters drawn for the image.</param>
    public virtual bool WarpsExactly(in TParams p) => true;

    /// <summary><paramref name="m"/> acting about the image centre of <paramref name="input"/>, in the options' convention.</summary>
    /// <param name="m">A map about the origin.</param>
    /// <param name="input">The image whose centre is used.</param>
    protected AffineMatrix AboutCentre(in AffineMatrix m, in ImageInfo input) =>
        AffineMatrix.AboutCentre(m, input.Height, input.Width, Options.Centre);

    /// <summary>Warps <paramref name="src"/> into <paramref name="dst"/> with <see cref="Matrix"/> and <see cref="Warp"/>, or
    /// copies it when the matrix is the identity and the shapes match.</summary>
    /// <param name="p">The parameters drawn for the image.</param>
    /// <param name="src">The image; not modified.</param>
    /// <param name="dst">Receives the result (the output shape, the source's channels); a different image.</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is <paramref name="src"/> or has another channel count.</exception>
    public override void Apply(in TParams p, Image<byte> src, Image<byte> dst)
    {
        var m = Matrix(p, src.Info, dst.Info);
        if (m.IsIdentity && src.Info == dst.Info) src.Span.CopyTo(dst.Span);
        else WarpAffine.Apply(src, dst, m, Warp);
    }

    /// <inheritdoc cref="Apply(in TParams, Image{byte}, Image{byte})"/>
    public override void Apply(in TParams p, Image<float> src, Image<float> dst)
    {
        var m = Matrix(p, src.Info, dst.Info);
        if (m.IsIdentity && src.Info == dst.Info) src.Span.CopyTo(dst.Span);
        else WarpAffine.Apply(src, dst, m, Warp);
    }
}
