using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Transforms.Composition;

namespace Mirage.Transforms.Pipelines;

/// <summary>
/// A pipeline of transforms: <see cref="Sample"/> draws one image's parameters onto a <see cref="ParameterTape"/>
/// (the only randomness), and <see cref="Run(ParameterTape, Image{byte}, Span{float}, DataLayout)"/> and its
/// overloads apply a tape with the fused plan (<see cref="Plan"/>): adjacent warps become one warp, trailing
/// per-channel affine steps become the scale/offset of the pass that writes the output. A tape read back from JSON
/// runs the same way, so a recorded sample replays byte for byte.
/// </summary>
/// <remarks>Immutable once built and thread-safe: threads may share a pipeline as long as each uses its own
/// <see cref="RandomStream"/> and <see cref="ParameterTape"/>. Shapes are (H, W, C) throughout.</remarks>
public sealed class TransformPipeline
{
    /// <summary>A pipeline running the children of <paramref name="options"/> in order.</summary>
    /// <param name="options">The top-level sequence (a config's <c>{"transforms": [...]}</c>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The sequence is empty, or a child's options are inconsistent (e.g. some_of's n).</exception>
    public TransformPipeline(SequentialOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Root = options.Create();
    }

    /// <summary>A pipeline running <paramref name="steps"/> in order.</summary>
    /// <param name="steps">At least one transform's options (compositions included).</param>
    /// <exception cref="ArgumentException"><paramref name="steps"/> is empty, or a step's options are inconsistent.</exception>
    public TransformPipeline(params TransformOptions[] steps) : this(new SequentialOptions { Transforms = steps }) { }

    /// <summary>The top-level sequence this pipeline was built from (what <see cref="ToJson"/> writes).</summary>
    public SequentialOptions Options { get; }
    /// <summary>The transform tree built from <see cref="Options"/> (a <see cref="Sequential"/>).</summary>
    public ITransform Root { get; }

    /// <summary>Parses a pipeline config (see <see cref="PipelineConfig"/>).</summary>
    /// <param name="json">A config such as <c>{"transforms": [{"name": "rotate", "degrees": 15}]}</c>.</param>
    /// <param name="registry">The transform names to accept, or null for <see cref="TransformRegistry.Default"/>.</param>
    /// <param name="source">Names the input at the start of every error message.</param>
    /// <exception cref="FormatException">The JSON is malformed, names an unknown transform or option (with a
    /// suggestion), or a value is out of range; the message names <paramref name="source"/> and the path.</exception>
    /// <exception cref="ArgumentException">The options parse but cannot build a transform (e.g. some_of's n exceeds its
    /// transforms).</exception>
    public static TransformPipeline FromJson(string json, TransformRegistry? registry = null, string source = "config") =>
        new(PipelineConfig.Parse(json, registry, source));

    /// <summary>The pipeline as a config that <see cref="FromJson"/> reads back to equal options (every option written,
    /// defaults included).</summary>
    public string ToJson() => PipelineConfig.ToJson(Options);

    /// <summary>Draws one image's parameters for an input of <paramref name="input"/> into <paramref name="tape"/> (cleared first).</summary>
    /// <param name="random">The sample's stream (e.g. <see cref="RandomStream.For"/>(seed, epoch, index)); advanced.</param>
    /// <param name="input">The shape of the image the parameters are for.</param>
    /// <param name="tape">A tape to reuse (no allocation once it has grown), or null for a new one.</param>
    /// <returns>The tape: one entry per leaf transform applied, with its input and output shapes.</returns>
    public ParameterTape Sample(ref RandomStream random, ImageInfo input, ParameterTape? tape = null)
    {
        tape ??= new ParameterTape();
        tape.Clear(input);
        var shape = input;
        Root.Sample(ref random, ref shape, tape);
        return tape;
    }

    /// <summary>Samples and runs in one call: a new byte image of the output shape.</summary>
    /// <param name="src">The image; not modified.</param>
    /// <param name="random">The sample's stream; advanced.</param>
    /// <param name="tape">A tape to reuse, or null; on return it holds the parameters applied (record them to replay).</param>
    /// <returns>A new image the caller owns (and disposes).</returns>
    public Image<byte> Apply(Image<byte> src, ref RandomStream random, ParameterTape? tape = null)
    {
        tape = Sample(ref random, src.Info, tape);
        return Run(tape, src);
    }

    // ------------------------------------------------------------------ running a tape

    /// <summary>Runs <paramref name="tape"/> on <paramref name="src"/> into a new byte image of the tape's output shape.</summary>
    /// <param name="tape">Parameters drawn for an image of <paramref name="src"/>'s shape.</param>
    /// <param name="src">The image; not modified.</param>
    /// <returns>A new image the caller owns (and disposes).</returns>
    /// <exception cref="ArgumentException"><paramref name="src"/>'s shape is not the tape's input shape.</exception>
    public static Image<byte> Run(ParameterTape tape, Image<byte> src)
    {
        var dst = new Image<byte>(tape.Output);
        try
        {
            Run(tape, src, dst);
            return dst;
        }
        catch
        {
            dst.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="tape"/> on bytes into <paramref name="dst"/> (the tape's output shape).</summary>
    /// <param name="tape">Parameters drawn for an image of <paramref name="src"/>'s shape.</param>
    /// <param name="src">The image; not modified.</param>
    /// <param name="dst">Receives the result; exactly the tape's output shape.</param>
    /// <exception cref="ArgumentException">A shape does not match the tape.</exception>
    public static void Run(ParameterTape tape, Image<byte> src, Image<byte> dst)
    {
        CheckShapes(tape, src.Info, dst.Info);
        Execute(tape, src, dst, default, DataLayout.ChannelsLast);
    }

    /// <summary>
    /// Runs <paramref name="tape"/> on bytes into a float destination (a batch slot) in <paramref name="layout"/>; the
    /// last warp writes floats directly, with the trailing per-channel affine steps as its scale/offset.
    /// </summary>
    /// <param name="tape">Parameters drawn for an image of <paramref name="src"/>'s shape.</param>
    /// <param name="src">The image; not modified.</param>
    /// <param name="dst">Receives the tape's output (H·W·C floats); values past that are untouched.</param>
    /// <param name="layout">Channels-last (HWC) or channels-first (CHW).</param>
    /// <exception cref="ArgumentException"><paramref name="src"/>'s shape is not the tape's input shape, or
    /// <paramref name="dst"/> is too short.</exception>
    public static void Run(ParameterTape tape, Image<byte> src, Span<float> dst, DataLayout layout)
    {
        CheckShapes(tape, src.Info, tape.Output);
        if (dst.Length < tape.Output.Length)
            throw new ArgumentException($"The destination holds {dst.Length} values but the pipeline's {tape.Output} output needs {tape.Output.Length}.", nameof(dst));
        Execute(tape, src, null, dst, layout);
    }

    /// <summary>Runs <paramref name="tape"/> on floats into <paramref name="dst"/> (adjacent warps still fuse).</summary>
    /// <param name="tape">Parameters drawn for an image of <paramref name="src"/>'s shape.</param>
    /// <param name="src">The image; not modified.</param>
    /// <param name="dst">Receives the result; exactly the tape's output shape.</param>
    /// <exception cref="ArgumentException">A shape does not match the tape.</exception>
    public static void Run(ParameterTape tape, Image<float> src, Image<float> dst)
    {
        CheckShapes(tape, src.Info, dst.Info);
        Image<float> current = src;
        Image<float>? owned = null;
        try
        {
            for (int i = 0; i < tape.Count;)
            {
                int j = NextGroup(tape, i, tape.Count, out var kind, out var m, out var warp);
                var output = tape[j - 1].Output;
                var next = new Image<float>(output);
                if (kind == StepKind.Warp) Warp(current, next, m, warp);
                else
                {
                    var e = tape[i];
                    e.Transform.Apply(e.Parameters, current, next);
                }
                owned?.Dispose();
                current = owned = next;
                i = j;
            }
            current.Span.CopyTo(dst.Span);
        }
        finally
        {
            owned?.Dispose();
        }
    }

    private static void Warp<T>(Image<T> src, Image<T> dst, in AffineMatrix m, in WarpOptions warp) where T : unmanaged
    {
        if (m.IsIdentity && src.Info == dst.Info) src.Span.CopyTo(dst.Span);
        else if (src is Image<byte> b) WarpAffine.Apply(b, (dst as Image<byte>)!, m, warp);
        else WarpAffine.Apply((src as Image<float>)!, (dst as Image<float>)!, m, warp);
    }

    private static void CheckShapes(ParameterTape tape, ImageInfo src, ImageInfo dst)
    {
        if (src != tape.Input)
            throw new ArgumentException($"The parameters were drawn for a {tape.Input} input but the image is {src}; sample again for this image.", nameof(src));
        if (dst != tape.Output)
            throw new ArgumentException($"The pipeline writes a {tape.Output} output but the destination is {dst}.", nameof(dst));
    }

    /// <summary>Byte input; writes either <paramref name="byteDst"/> or, when it is null, floats into <paramref name="floatDst"/>.</summary>
    private static void Execute(ParameterTape tape, Image<byte> src, Image<byte>? byteDst, Span<float> floatDst, DataLayout layout)
    {
        bool toFloat = byteDst is null;
        int tail = toFloat ? TailStart(tape) : tape.Count;
        int channels = tape.Output.Channels;
        Span<float> scale = stackalloc float[channels], offset = stackalloc float[channels];
        if (toFloat) ScaleOffset(tape, tail, scale, offset);
        Image<byte> current = src;
        Image<byte>? owned = null;
        try
        {
            for (int i = 0; i < tail;)
            {
                int j = NextGroup(tape, i, tail, out var kind, out var m, out var warp);
                var output = tape[j - 1].Output;
                if (kind == StepKind.Warp && toFloat && j == tail && !(m.IsIdentity && current.Info == output))
                {
                    WarpAffine.ApplyToFloat(current, floatDst, output.Height, output.Width, layout, m, warp, scale, offset);
                    return;
                }
                var next = new Image<byte>(output);
                if (kind == StepKind.Warp) Warp(current, next, m, warp);
                else
                {
                    var e = tape[i];
                    e.Transform.Apply(e.Parameters, current, next);
                }
                owned?.Dispose();
                current = owned = next;
                i = j;
            }
            if (toFloat) Kernels.Photometric.Normalize.ToFloat(current, floatDst, layout, scale, offset);
            else current.Span.CopyTo(byteDst!.Span);
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>The first of the per-channel affine steps that end the tape (they fold into the output pass).</summary>
    private static int TailStart(ParameterTape tape)
    {
        int t = tape.Count;
        while (t > 0 && KindOf(tape, t - 1, out _, out _) == StepKind.ChannelAffine) t--;
        return t;
    }

    private static StepKind KindOf(ParameterTape tape, int i, out AffineMatrix m, out WarpOptions warp)
    {
        var e = tape[i];
        return e.Transform.Kind(e.Parameters, e.Input, e.Output, out m, out warp);
    }

    /// <summary>v → v·a + b of steps tail.. composed per channel (in double, stored as float, as the kernels take them).</summary>
    private static void ScaleOffset(ParameterTape tape, int tail, Span<float> scale, Span<float> offset)
    {
        int channels = scale.Length;
        Span<double> s = stackalloc double[channels], o = stackalloc double[channels], a = stackalloc double[channels], b = stackalloc double[channels];
        s.Fill(1);
        o.Clear();
        for (int i = tail; i < tape.Count; i++)
        {
            var e = tape[i];
            e.Transform.ScaleOffset(e.Parameters, a, b);
            for (int c = 0; c < channels; c++)
            {
                s[c] *= a[c];
                o[c] = o[c] * a[c] + b[c];
            }
        }
        for (int c = 0; c < channels; c++)
        {
            scale[c] = (float)s[c];
            offset[c] = (float)o[c];
        }
    }

    /// <summary>
    /// The group starting at <paramref name="i"/>: a run of warps with the same warp options (matrices multiplied, the
    /// first applied on the left: out(p) = in(M₁·M₂·…·p)), or one other step. Returns the index after the group.
    /// </summary>
    private static int NextGroup(ParameterTape tape, int i, int end, out StepKind kind, out AffineMatrix m, out WarpOptions warp)
    {
        kind = KindOf(tape, i, out m, out warp);
        if (kind != StepKind.Warp) return i + 1;
        int j = i + 1;
        while (j < end && KindOf(tape, j, out var mj, out var wj) == StepKind.Warp && wj == warp)
        {
            m *= mj;
            j++;
        }
        return j;
    }

    // ------------------------------------------------------------------ the plan, for inspection

    /// <summary>
    /// How <paramref name="tape"/> runs: its passes over the pixels, in order. <paramref name="floatOutput"/>: into a
    /// float destination (trailing per-channel affine steps fold into the last pass) or bytes.
    /// </summary>
    /// <param name="tape">A sampled or replayed tape.</param>
    /// <param name="floatOutput">True for the float-output plan, false for bytes.</param>
    /// <returns>The passes, e.g. <c>warp[rotate, zoom] + scale_offset[rescale]</c>.</returns>
    public static ExecutionPlan Plan(ParameterTape tape, bool floatOutput = true)
    {
        var passes = new List<PlanPass>();
        int tail = floatOutput ? TailStart(tape) : tape.Count;
        var folded = Enumerable.Range(tail, tape.Count - tail).Select(tape.NameAt).ToArray();
        for (int i = 0; i < tail;)
        {
            int j = NextGroup(tape, i, tail, out var kind, out _, out _);
            var names = Enumerable.Range(i, j - i).Select(tape.NameAt).ToArray();
            passes.Add(new PlanPass(kind == StepKind.Warp ? PassKind.Warp : PassKind.Step, names, []));
            i = j;
        }
        if (floatOutput)
        {
            if (passes.Count > 0 && passes[^1].Kind == PassKind.Warp) passes[^1] = passes[^1] with { ScaleOffset = folded };
            else passes.Add(new PlanPass(PassKind.Convert, [], folded));
        }
        return new ExecutionPlan(passes);
    }
}

/// <summary>What one pass over the pixels does.</summary>
public enum PassKind
{
    /// <summary>One warp doing every listed geometric transform.</summary>
    Warp,
    /// <summary>One transform run on its own.</summary>
    Step,
    /// <summary>Bytes to floats with the scale/offset (no geometric change at the end).</summary>
    Convert,
}

/// <summary>One pass: the transforms it does, and the per-channel affine steps folded into its output (float output only).</summary>
/// <param name="Kind">What the pass is.</param>
/// <param name="Transforms">Names of the transforms the pass does, in order (empty for <see cref="PassKind.Convert"/>).</param>
/// <param name="ScaleOffset">Names of the per-channel affine steps folded into the pass's output.</param>
public sealed record PlanPass(PassKind Kind, IReadOnlyList<string> Transforms, IReadOnlyList<string> ScaleOffset)
{
    /// <summary>e.g. <c>warp[rotate, shift] + scale_offset[rescale]</c>.</summary>
    public override string ToString() =>
        $"{Kind.ToString().ToLowerInvariant()}[{string.Join(", ", Transforms)}]" + (ScaleOffset.Count > 0 ? $" + scale_offset[{string.Join(", ", ScaleOffset)}]" : "");
}

/// <summary>The passes a recorded sample runs as.</summary>
/// <param name="Passes">The passes, in order.</param>
public sealed record ExecutionPlan(IReadOnlyList<PlanPass> Passes)
{
    /// <summary>How many warps run (fewer than the geometric transforms when they fuse).</summary>
    public int WarpPasses => Passes.Count(p => p.Kind == PassKind.Warp);
    /// <summary>The passes joined by <c> -&gt; </c>.</summary>
    public override string ToString() => string.Join(" -> ", Passes);
}
