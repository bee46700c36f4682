using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Transforms;

/// <summary>
/// Anything a pipeline can hold: one transform (<see cref="Transform{TOptions, TParams}"/>) or a composition of them
/// (<see cref="Composition"/>). Sampling is the only place randomness is drawn: each applied transform appends its
/// typed parameters to the <see cref="ParameterTape"/>, and everything after (apply, replay, fuse) reads the tape.
/// </summary>
public interface ITransform
{
    /// <summary>The name used in JSON configs and by <c>mirage transforms</c> (snake_case).</summary>
    string Name { get; }

    /// <summary>The immutable, validated options this transform was built from.</summary>
    TransformOptions Options { get; }

    /// <summary>Draws this transform's parameters for an image of <paramref name="shape"/> (updated to the output shape) onto <paramref name="tape"/>.</summary>
    /// <param name="random">The sample's stream; advanced by the draws.</param>
    /// <param name="shape">In: the shape this transform receives. Out: the shape it produces.</param>
    /// <param name="tape">The sample's tape; a leaf appends one entry, a composition one per transform it applies.</param>
    void Sample(ref RandomStream random, ref ImageInfo shape, ParameterTape tape);
}

/// <summary>
/// One transform with parameters of type <typeparamref name="TParams"/>: sample once, then apply the same parameters
/// to each target (image bytes, image floats; masks, boxes and keypoints through the geometric matrix).
/// </summary>
public interface ITransform<TParams> : ITransform where TParams : unmanaged
{
    /// <summary>Draws the parameters for one image of <paramref name="image"/>'s shape (the only place randomness is used).</summary>
    /// <param name="random">The sample's stream; advanced by the draws.</param>
    /// <param name="image">The shape of the image the parameters are for.</param>
    TParams Sample(ref RandomStream random, in ImageInfo image);

    /// <summary>The shape of the output for <paramref name="input"/> (most transforms keep it).</summary>
    /// <param name="p">The parameters drawn for the image.</param>
    /// <param name="input">The shape of the image the parameters were drawn for.</param>
    ImageInfo OutputInfo(in TParams p, in ImageInfo input);

    /// <summary>Writes the transformed <paramref name="src"/> into <paramref name="dst"/> (shape <see cref="OutputInfo"/>; a different image).</summary>
    /// <param name="p">The parameters drawn for the image (replaying them gives the same output).</param>
    /// <param name="src">The image the parameters were drawn for; not modified.</param>
    /// <param name="dst">Receives the result.</param>
    void Apply(in TParams p, Image<byte> src, Image<byte> dst);

    /// <inheritdoc cref="Apply(in TParams, Image{byte}, Image{byte})"/>
    void Apply(in TParams p, Image<float> src, Image<float> dst);

    /// <summary>A segmentation mask (labels, never blended): geometric transforms move it with nearest sampling; photometric ones leave it.</summary>
    /// <param name="p">The parameters drawn for the image.</param>
    /// <param name="src">The mask, the shape of the image.</param>
    /// <param name="dst">Receives the mask, shape <see cref="OutputInfo"/>.</param>
    void ApplyToMask(in TParams p, Image<byte> src, Image<byte> dst);

    /// <summary>Boxes of an image of <paramref name="input"/>'s shape, in place (the bounds of the moved corners).</summary>
    /// <param name="p">The parameters drawn for the image.</param>
    /// <param name="input">The shape of the image the parameters were drawn for.</param>
    /// <param name="boxes">Changed in place.</param>
    void ApplyToBoxes(in TParams p, in ImageInfo input, Span<BoundingBox> boxes);

    /// <summary>Keypoints of an image of <paramref name="input"/>'s shape, in place.</summary>
    /// <param name="p">The parameters drawn for the image.</param>
    /// <param name="input">The shape of the image the parameters were drawn for.</param>
    /// <param name="points">Changed in place.</param>
    void ApplyToKeypoints(in TParams p, in ImageInfo input, Span<Keypoint> points);
}

/// <summary>
/// A transform that moves pixels. <see cref="Matrix"/> maps an OUTPUT pixel to the INPUT position it samples (as
/// <see cref="WarpAffine"/> uses it); its inverse moves keypoints and boxes. When <see cref="WarpsExactly"/> holds,
/// the image output is exactly <see cref="WarpAffine"/> with that matrix and <see cref="Warp"/>, so adjacent
/// geometric transforms fuse into one warp.
/// </summary>
public interface IGeometricTransform<TParams> : ITransform<TParams> where TParams : unmanaged
{
    /// <summary>Output pixel → input position for <paramref name="p"/> on <paramref name="input"/> giving <paramref name="output"/>.</summary>
    /// <param name="p">The parameters drawn for the image.</param>
    /// <param name="input">The shape of the image the parameters were drawn for.</param>
    /// <param name="output">The output shape (<see cref="ITransform{TParams}.OutputInfo"/>).</param>
    AffineMatrix Matrix(in TParams p, in ImageInfo input, in ImageInfo output);

    /// <summary>How the image is resampled (interpolation, fill).</summary>
    WarpOptions Warp { get; }

    /// <summary>True when the image output equals one <see cref="WarpAffine"/> pass with <see cref="Matrix"/> (false, e.g., for an antialiased resize).</summary>
    /// <param name="p">The parameters drawn for the image.</param>
    bool WarpsExactly(in TParams p) => true;
}

/// <summary>A transform that changes values only: geometry (and so masks, boxes, keypoints) is left alone.</summary>
public interface IPhotometricTransform<TParams> : ITransform<TParams> where TParams : unmanaged;

/// <summary>
/// A photometric transform that is a per-channel affine map v → v · scale[c] + offset[c] (rescale, normalize), so it
/// fuses into the scale/offset of the warp that writes the output.
/// </summary>
public interface IChannelAffineTransform<TParams> : IPhotometricTransform<TParams> where TParams : unmanaged
{
    /// <summary>Fills one scale and offset per channel (the spans' length is the channel count).</summary>
    /// <param name="p">The parameters drawn for the image.</param>
    /// <param name="scale">Receives the multiplier of each channel.</param>
    /// <param name="offset">Receives the addend of each channel (v → v · scale + offset).</param>
    void ScaleOffset(in TParams p, Span<double> scale, Span<double> offset);

    /// <summary>
    /// Composes this step after the map v → v · <paramref name="scale"/>[c] + <paramref name="offset"/>[c], in place
    /// (what the planner folds into the output pass). The default multiplies by <see cref="ScaleOffset"/>'s values;
    /// override when the step's float path computes otherwise (normalize divides by its std, and so does this).
    /// </summary>
    void AppendTo(in TParams p, Span<double> scale, Span<double> offset)
    {
        int channels = scale.Length;
        Span<double> a = stackalloc double[channels], b = stackalloc double[channels];
        ScaleOffset(p, a, b);
        for (int c = 0; c < channels; c++)
        {
            scale[c] *= a[c];
            offset[c] = offset[c] * a[c] + b[c];
        }
    }
}

/// <summary>
/// A warp about the image centre: <see cref="IGeometricTransform{TParams}.Matrix"/> is
/// AffineMatrix.AboutCentre(<see cref="Linear"/>, input, <see cref="Centre"/>). The planner multiplies the linear parts
/// of a run of them and conjugates once, as Keras builds R·T·S·Z (so the Keras preset's matrix is Keras's, bit for bit).
/// </summary>
internal interface ICentredWarp<TParams> where TParams : unmanaged
{
    AffineMatrix Linear(in TParams p);
    CentreConvention Centre { get; }
}
