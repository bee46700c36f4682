using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Transforms;

/// <summary>The parameters of a transform that draws nothing (rescale, normalize).</summary>
public readonly record struct NoParams;

/// <summary>
/// Base of every transform (and of user-written ones): options in, typed parameters out. Subclasses implement
/// <see cref="Sample(ref RandomStream, in ImageInfo)"/> and the two image Apply methods, and declare what they are by
/// implementing <see cref="IGeometricTransform{TParams}"/>, <see cref="IPhotometricTransform{TParams}"/> or
/// <see cref="IChannelAffineTransform{TParams}"/>: the pipeline fuses on those interfaces alone, and masks, boxes
/// and keypoints follow from them.
/// </summary>
public abstract class Transform<TOptions, TParams> : ITransform<TParams>, ITapeTransform
    where TOptions : TransformOptions where TParams : unmanaged
{
    // What the transform is, found once: the planner asks per sample, and a generic interface cast costs more than a field.
    private readonly IGeometricTransform<TParams>? _geometric;
    private readonly ICentredWarp<TParams>? _centred;
    private readonly IChannelAffineTransform<TParams>? _channelAffine;

    /// <summary>A transform built from <paramref name="options"/> (already validated by their init setters).</summary>
    /// <param name="options">The options; kept, not copied (records are immutable).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    protected Transform(TOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _geometric = this as IGeometricTransform<TParams>;
        _centred = this as ICentredWarp<TParams>;
        _channelAffine = this as IChannelAffineTransform<TParams>;
    }

    /// <summary>The options this transform was built from, with their concrete type.</summary>
    public TOptions Options { get; }
    TransformOptions ITransform.Options => Options;
    /// <inheritdoc/>
    public string Name => Options.Name;

    /// <inheritdoc/>
    public abstract TParams Sample(ref RandomStream random, in ImageInfo image);
    /// <summary>The shape of the output; by default the input's (override when the transform resizes or crops).</summary>
    /// <param name="p">The parameters drawn by <see cref="Sample(ref RandomStream, in ImageInfo)"/>.</param>
    /// <param name="input">The shape of the image the parameters were drawn for.</param>
    public virtual ImageInfo OutputInfo(in TParams p, in ImageInfo input) => input;
    /// <inheritdoc/>
    public abstract void Apply(in TParams p, Image<byte> src, Image<byte> dst);
    /// <inheritdoc/>
    public abstract void Apply(in TParams p, Image<float> src, Image<float> dst);

    /// <summary>Draws this transform's parameters for an image of <paramref name="shape"/>, appends them to
    /// <paramref name="tape"/> with the input and output shapes, and sets <paramref name="shape"/> to the output shape.</summary>
    /// <param name="random">The sample's stream; advanced by the draws.</param>
    /// <param name="shape">In: the shape this transform receives. Out: the shape it produces.</param>
    /// <param name="tape">The sample's tape; one entry is appended.</param>
    public void Sample(ref RandomStream random, ref ImageInfo shape, ParameterTape tape)
    {
        var p = Sample(ref random, shape);
        var output = OutputInfo(p, shape);
        tape.Append(this, shape, output, p);
        shape = output;
    }

    /// <summary>A segmentation mask: a geometric transform warps it with its matrix, nearest sampling and fill 0 (labels
    /// are never blended); a photometric one copies it. Override for anything else.</summary>
    /// <param name="p">The parameters drawn for the image.</param>
    /// <param name="src">The mask, the shape of the image the parameters were drawn for.</param>
    /// <param name="dst">Receives the mask, shape <see cref="OutputInfo"/>; a different image.</param>
    /// <exception cref="NotSupportedException">The transform is neither geometric nor photometric and does not override
    /// this method.</exception>
    public virtual void ApplyToMask(in TParams p, Image<byte> src, Image<byte> dst)
    {
        if (this is IGeometricTransform<TParams> g)
            WarpAffine.Apply(src, dst, g.Matrix(p, src.Info, dst.Info), new WarpOptions(Interpolation.Nearest, FillMode.Constant));
        else if (this is IPhotometricTransform<TParams>) src.Span.CopyTo(dst.Span);
        else throw NotSupported("masks");
    }

    /// <summary>Moves keypoints by the inverse of the geometric matrix (input position → output position); a
    /// photometric transform leaves them. Points may end up outside the output; they are not clipped or dropped.</summary>
    /// <param name="p">The parameters drawn for the image.</param>
    /// <param name="input">The shape of the image the parameters were drawn for.</param>
    /// <param name="points">Changed in place.</param>
    /// <exception cref="NotSupportedException">The transform is neither geometric nor photometric and does not override
    /// this method.</exception>
    /// <exception cref="InvalidOperationException">The matrix is singular.</exception>
    public virtual void ApplyToKeypoints(in TParams p, in ImageInfo input, Span<Keypoint> points)
    {
        if (this is IPhotometricTransform<TParams>) return;
        var forward = Forward(p, input, "keypoints");
        for (int i = 0; i < points.Length; i++)
        {
            var (r, c) = forward.Map(points[i].Row, points[i].Col);
            points[i] = new Keypoint(r, c);
        }
    }

    /// <summary>Moves boxes: each becomes the axis-aligned bounds of its four moved corners (so a rotation grows it); a
    /// photometric transform leaves them. Boxes are not clipped to the output.</summary>
    /// <param name="p">The parameters drawn for the image.</param>
    /// <param name="input">The shape of the image the parameters were drawn for.</param>
    /// <param name="boxes">Changed in place.</param>
    /// <exception cref="NotSupportedException">The transform is neither geometric nor photometric and does not override
    /// this method.</exception>
    /// <exception cref="InvalidOperationException">The matrix is singular.</exception>
    public virtual void ApplyToBoxes(in TParams p, in ImageInfo input, Span<BoundingBox> boxes)
    {
        if (this is IPhotometricTransform<TParams>) return;
        var forward = Forward(p, input, "boxes");
        for (int i = 0; i < boxes.Length; i++)
        {
            var b = boxes[i];
            var (r0, c0) = forward.Map(b.Top, b.Left);
            var (r1, c1) = forward.Map(b.Top, b.Right);
            var (r2, c2) = forward.Map(b.Bottom, b.Left);
            var (r3, c3) = forward.Map(b.Bottom, b.Right);
            boxes[i] = new BoundingBox(Math.Min(Math.Min(r0, r1), Math.Min(r2, r3)), Math.Min(Math.Min(c0, c1), Math.Min(c2, c3)),
                Math.Max(Math.Max(r0, r1), Math.Max(r2, r3)), Math.Max(Math.Max(c0, c1), Math.Max(c2, c3)));
        }
    }

    /// <summary>Input position → output position: the inverse of a geometric transform's matrix.</summary>
    private AffineMatrix Forward(in TParams p, in ImageInfo input, string target) =>
        this is IGeometricTransform<TParams> g
            ? g.Matrix(p, input, OutputInfo(p, input)).Inverse()
            : throw NotSupported(target);

    /// <summary>The error for a target (masks, boxes, keypoints) this transform cannot say how it changes; it names the
    /// transform and the interfaces or override that would fix it.</summary>
    /// <param name="target">What cannot be transformed, plural and lower case: <c>masks</c>, <c>boxes</c>, <c>keypoints</c>.</param>
    protected NotSupportedException NotSupported(string target) =>
        new($"{Name} does not say how it changes {target}: implement IGeometricTransform (its matrix moves {target}) or " +
            $"IPhotometricTransform (it leaves them alone), or override ApplyTo{char.ToUpperInvariant(target[0])}{target[1..]}.");

    // ---- the tape's untyped view: parameters as bytes, read back without boxing

    int ITapeTransform.ParameterSize => Unsafe.SizeOf<TParams>();

    private static TParams Read(ReadOnlySpan<byte> p) => MemoryMarshal.Read<TParams>(p);

    void ITapeTransform.Apply(ReadOnlySpan<byte> p, Image<byte> src, Image<byte> dst) => Apply(Read(p), src, dst);
    void ITapeTransform.Apply(ReadOnlySpan<byte> p, Image<float> src, Image<float> dst) => Apply(Read(p), src, dst);

    StepKind ITapeTransform.Describe(ReadOnlySpan<byte> p, in ImageInfo input, in ImageInfo output, out WarpStep warp)
    {
        warp = default;
        var prm = Read(p);
        if (_geometric is not null && _geometric.WarpsExactly(prm))
        {
            warp.Matrix = _geometric.Matrix(prm, input, output);
            warp.Options = _geometric.Warp;
            if (_centred is not null)
            {
                warp.Centred = true;
                warp.Linear = _centred.Linear(prm);
                warp.Centre = _centred.Centre;
            }
            return StepKind.Warp;
        }
        return _channelAffine is not null ? StepKind.ChannelAffine : StepKind.Other;
    }

    void ITapeTransform.AppendTo(ReadOnlySpan<byte> p, Span<double> scale, Span<double> offset) =>
        _channelAffine!.AppendTo(Read(p), scale, offset);

    JsonElement ITapeTransform.ParametersToJson(ReadOnlySpan<byte> p) => JsonSerializer.SerializeToElement(Read(p), TransformJson.Options);

    void ITapeTransform.ParametersFromJson(JsonElement json, Span<byte> destination)
    {
        var value = json.Deserialize<TParams>(TransformJson.Options);
        MemoryMarshal.Write(destination, in value);
    }
}
