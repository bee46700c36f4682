using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Randomness;
using Mirage.Transforms.Composition;

namespace Mirage.Transforms.Pipelines;

/// <summary>
/// A pipeline of transforms: <see cref="Sample"/> draws one image's parameters onto a <see cref="ParameterTape"/>
/// (the only randomness), and <see cref="Run(ParameterTape, Image{byte}, Span{float}, DataFormat)"/> and its
/// overloads apply a tape with the fused plan (<see cref="Plan"/>): adjacent warps become one warp, trailing
/// per-channel affine steps become the scale/offset of the pass that writes the output. A tape read back from JSON
/// runs the same way, so a recorded sample replays byte for byte.
/// </summary>
/// <remarks>Immutable once built and thread-safe: threads may share a pipeline as long as each uses its own
/// <see cref="RandomStream"/> and <see cref="ParameterTape"/>. Shapes are (H, W, C) throughout.</remarks>
public sealed class TransformPipeline
{
    /// <summary>A pipeline running <paramref name="options"/>' transforms in order.</summary>
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

    /// <summary>The options of the top-level sequence (what <see cref="ToJson"/> writes).</summary>
    public SequentialOptions Options { get; }

    /// <summary>The transform tree built from <see cref="Options"/>.</summary>
    public ITransform Root { get; }

    /// <summary>What the transforms compute on for 8-bit inputs (default <see cref="PipelinePrecision.Bytes"/>); recorded on every tape sampled.</summary>
    public PipelinePrecision Precision { get; init; }

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

    /// <summary>The pipeline config (what <see cref="FromJson"/> reads).</summary>
    public string ToJson() => PipelineConfig.ToJson(Options);

    /// <summary>The transforms' names, top level first (for messages).</summary>
    public override string ToString() => string.Join(", ", Options.Transforms.Select(t => t.Name));

    /// <summary>Draws one image's parameters for an input of <paramref name="input"/> into <paramref name="tape"/> (cleared first).</summary>
    /// <param name="random">The sample's stream (e.g. <see cref="RandomStream.For"/>(seed, epoch, index)); advanced.</param>
    /// <param name="input">The shape of the image the parameters are for.</param>
    /// <param name="tape">A tape to reuse (no allocation once it has grown), or null for a new one.</param>
    /// <returns>The tape: one entry per leaf transform applied, with its input and output shapes.</returns>
    public ParameterTape Sample(ref RandomStream random, ImageInfo input, ParameterTape? tape = null)
    {
        tape ??= new ParameterTape();
        tape.Clear(input);
        tape.Precision = Precision;
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

    /// <summary>
    /// Runs <paramref name="tape"/> on bytes into <paramref name="dst"/> (the tape's output shape): the float result
    /// rounded half to even and clipped to 0..255 (computed in bytes when the trailing scale/offset is the identity).
    /// </summary>
    /// <param name="tape">Parameters drawn for an image of <paramref name="src"/>'s shape.</param>
    /// <param name="src">The image; not modified.</param>
    /// <param name="dst">Receives the result; exactly the tape's output shape.</param>
    /// <exception cref="ArgumentException">A shape does not match the tape.</exception>
    public static void Run(ParameterTape tape, Image<byte> src, Image<byte> dst)
    {
        CheckShapes(tape, src.Info, dst.Info);
        using var scratch = new RunScratch();
        TapeRunner.Run(tape, src, dst, scratch);
    }

    /// <summary>
    /// Runs <paramref name="tape"/> on bytes into a float destination (a batch slot) in <paramref name="layout"/>. On the
    /// byte route (<see cref="ParameterTape.Precision"/>) the last warp writes floats directly, with the trailing
    /// per-channel affine steps as its scale/offset; on the float route the bytes are converted first.
    /// </summary>
    /// <param name="tape">Parameters drawn for an image of <paramref name="src"/>'s shape.</param>
    /// <param name="src">The image; not modified.</param>
    /// <param name="dst">Receives the tape's output (H·W·C floats); values past that are untouched.</param>
    /// <param name="layout">Channels-last (HWC) or channels-first (CHW).</param>
    /// <exception cref="ArgumentException"><paramref name="src"/>'s shape is not the tape's input shape, or
    /// <paramref name="dst"/> is too short.</exception>
    public static void Run(ParameterTape tape, Image<byte> src, Span<float> dst, DataFormat layout)
    {
        CheckShapes(tape, src.Info, tape.Output);
        CheckLength(tape, dst.Length);
        using var scratch = new RunScratch();
        TapeRunner.Run(tape, src, dst, layout, scratch);
    }

    /// <summary>Runs <paramref name="tape"/> on floats into <paramref name="dst"/> (the float route: adjacent resampling warps still fuse).</summary>
    /// <param name="tape">Parameters drawn for an image of <paramref name="src"/>'s shape.</param>
    /// <param name="src">The image; not modified.</param>
    /// <param name="dst">Receives the result; exactly the tape's output shape.</param>
    /// <exception cref="ArgumentException">A shape does not match the tape.</exception>
    public static void Run(ParameterTape tape, Image<float> src, Image<float> dst)
    {
        CheckShapes(tape, src.Info, dst.Info);
        using var scratch = new RunScratch();
        TapeRunner.Floats(tape, src, scratch).Span.CopyTo(dst.Span);
    }

    internal static void CheckShapes(ParameterTape tape, ImageInfo src, ImageInfo dst)
    {
        if (src != tape.Input)
            throw new ArgumentException($"The parameters were drawn for a {tape.Input} input but the image is {src}; sample again for this image.", nameof(src));
        if (dst != tape.Output)
            throw new ArgumentException($"The pipeline writes a {tape.Output} output but the destination is {dst}.", nameof(dst));
    }

    internal static void CheckLength(ParameterTape tape, int length)
    {
        if (length < tape.Output.Length)
            throw new ArgumentException($"The destination holds {length} values but the pipeline's {tape.Output} output needs {tape.Output.Length}.", "dst");
    }

    // ------------------------------------------------------------------ the plan, for inspection

    /// <summary>
    /// How <paramref name="tape"/> runs on the byte route: its passes over the pixels, in order. <paramref name="floatOutput"/>:
    /// into a float destination (trailing per-channel affine steps fold into the last pass) or bytes.
    /// </summary>
    /// <param name="tape">A sampled or replayed tape.</param>
    /// <param name="floatOutput">True for the float-output plan, false for bytes.</param>
    /// <returns>The passes, e.g. <c>warp[rotate, zoom] + scale_offset[rescale]</c>.</returns>
    public static ExecutionPlan Plan(ParameterTape tape, bool floatOutput = true)
    {
        var passes = new List<PlanPass>();
        int tail = floatOutput ? TapeRunner.TailStart(tape) : tape.Count;
        var folded = Enumerable.Range(tail, tape.Count - tail).Select(tape.NameAt).ToArray();
        for (int i = 0; i < tail;)
        {
            int j = TapeRunner.NextGroup(tape, i, tail, byteRoute: true, out var kind, out _, out _);
            var names = Enumerable.Range(i, j - i).Select(tape.NameAt).ToArray();
            passes.Add(new PlanPass(kind == TapeRunner.GroupKind.Warp ? PassKind.Warp : PassKind.Step, names, []));
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
