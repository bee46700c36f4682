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

    protected Transform(TOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _geometric = this as IGeometricTransform<TParams>;
        _centred = this as ICentredWarp<TParams>;
        _channelAffine = this as IChannelAffineTransform<TParams>;
    }

    public TOptions Options { get; }
    TransformOptions ITransform.Options => Options;
    public string Name => Options.Name;

    public abstract TParams Sample(ref RandomStream random, in ImageInfo image);
    public virtual ImageInfo OutputInfo(in TParams p, in ImageInfo input) => input;
    public abstract void Apply(in TParams p, Image<byte> src, Image<byte> dst);
    public abstract void Apply(in TParams p, Image<float> src, Image<float> dst);

    public void Sample(ref RandomStream random, ref ImageInfo shape, ParameterTape tape)
    {
        var p = Sample(ref random, shape);
        var output = OutputInfo(p, shape);
        tape.Append(this, shape, output, p);
        shape = output;
    }

    public virtual void ApplyToMask(in TParams p, Image<byte> src, Image<byte> dst)
    {
        if (this is IGeometricTransform<TParams> g)
            WarpAffine.Apply(src, dst, g.Matrix(p, src.Info, dst.Info), new WarpOptions(Interpolation.Nearest, FillMode.Constant));
        else if (this is IPhotometricTransform<TParams>) src.Span.CopyTo(dst.Span);
        else throw NotSupported("masks");
    }

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
