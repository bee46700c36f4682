using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;

namespace Mirage.Transforms.Pipelines;

/// <summary>What a recorded step is to the planner.</summary>
internal enum StepKind
{
    /// <summary>Exactly one warp with a matrix: fuses with its geometric neighbours.</summary>
    Warp,
    /// <summary>v · scale[c] + offset[c]: fuses into the pass that writes the output.</summary>
    ChannelAffine,
    /// <summary>Runs as a step of its own.</summary>
    Other,
}

/// <summary>A warp step as the planner sees it: its matrix and settings, and for a warp about the image centre, the
/// matrix about the origin (runs of those compose as Keras does: C·(M₁·M₂·…)·C⁻¹, one conjugation).</summary>
internal struct WarpStep
{
    public AffineMatrix Matrix;
    public WarpOptions Options;
    public bool Centred;
    public AffineMatrix Linear;
    public CentreConvention Centre;
}

/// <summary>The untyped face of <see cref="Transform{TOptions, TParams}"/> the tape and the planner use (parameters as bytes).</summary>
internal interface ITapeTransform : ITransform
{
    int ParameterSize { get; }
    void Apply(ReadOnlySpan<byte> p, Image<byte> src, Image<byte> dst);
    void Apply(ReadOnlySpan<byte> p, Image<float> src, Image<float> dst);
    StepKind Describe(ReadOnlySpan<byte> p, in ImageInfo input, in ImageInfo output, out WarpStep warp);
    void AppendTo(ReadOnlySpan<byte> p, Span<double> scale, Span<double> offset);
    JsonElement ParametersToJson(ReadOnlySpan<byte> p);
    void ParametersFromJson(JsonElement json, Span<byte> destination);
}

/// <summary>
/// The parameters one sample actually got, in the order they apply: per applied transform, its index in the tape's
/// transform table, input and output shape, and its unmanaged parameter struct, packed into one reused byte buffer
/// (no boxing, no allocation per sample once warm). Serialises to JSON with each transform's name, options and
/// parameters, and replays byte for byte (<see cref="TransformPipeline.Run(ParameterTape, Image{byte})"/>).
/// </summary>
/// <remarks>Not thread-safe: one tape per thread (or per sample in flight). A tape holds references to the transforms
/// that wrote it; reuse one across samples with <see cref="TransformPipeline.Sample"/> to avoid allocating.</remarks>
public sealed class ParameterTape
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Header
    {
        public int Transform, Size;
        public ImageInfo Input, Output;
    }

    private static readonly int HeaderSize = Unsafe.SizeOf<Header>();
    private readonly List<ITapeTransform> _transforms = [];
    private byte[] _data = new byte[256];
    private int[] _offsets = new int[16];
    private int _length;

    /// <summary>Applied transforms recorded.</summary>
    public int Count { get; private set; }

    /// <summary>The shape the first step saw (set by <see cref="Clear"/>).</summary>
    public ImageInfo Input { get; private set; }

    /// <summary>
    /// What the steps compute on for an 8-bit input (<see cref="TransformPipeline.Sample"/> copies the pipeline's
    /// <see cref="TransformPipeline.Precision"/>); <see cref="TransformPipeline.Run(ParameterTape, Image{byte})"/> and
    /// its overloads honour it, so a replay computes as the recorded sample did.
    /// </summary>
    public PipelinePrecision Precision { get; set; }

    /// <summary>The shape the last step writes (the input when nothing applied).</summary>
    public ImageInfo Output => Count == 0 ? Input : HeaderAt(Count - 1).Output;

    /// <summary>Forgets the entries (keeps the buffers) and starts a sample of <paramref name="input"/>.</summary>
    /// <param name="input">The shape of the image the next sample is for.</param>
    public void Clear(ImageInfo input)
    {
        Input = input;
        Count = 0;
        _length = 0;
        _transforms.Clear(); // refilled as steps append: a tape reused across pipelines does not keep their transforms
    }

    internal void Append<TParams>(ITapeTransform transform, in ImageInfo input, in ImageInfo output, in TParams p) where TParams : unmanaged
    {
        int size = Unsafe.SizeOf<TParams>();
        var slot = Reserve(transform, input, output, size);
        MemoryMarshal.Write(slot, in p);
    }

    private Span<byte> Reserve(ITapeTransform transform, in ImageInfo input, in ImageInfo output, int size)
    {
        int index = TableIndex(transform);
        int need = _length + HeaderSize + size;
        if (need > _data.Length) Array.Resize(ref _data, Math.Max(need, 2 * _data.Length));
        if (Count == _offsets.Length) Array.Resize(ref _offsets, 2 * _offsets.Length);
        _offsets[Count++] = _length;
        var h = new Header { Transform = index, Size = size, Input = input, Output = output };
        MemoryMarshal.Write(_data.AsSpan(_length), in h);
        var slot = _data.AsSpan(_length + HeaderSize, size);
        _length = need;
        return slot;
    }

    /// <summary>The transform's index in the table, added on first use (compared by reference: no virtual Equals per sample).</summary>
    private int TableIndex(ITapeTransform transform)
    {
        for (int i = 0; i < _transforms.Count; i++)
            if (ReferenceEquals(_transforms[i], transform)) return i;
        _transforms.Add(transform);
        return _transforms.Count - 1;
    }

    private Header HeaderAt(int i) => MemoryMarshal.Read<Header>(_data.AsSpan(_offsets[i]));

    /// <summary>Entry <paramref name="i"/>: the transform, its shapes and its parameter bytes.</summary>
    internal Entry this[int i]
    {
        get
        {
            if ((uint)i >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(i), i, $"The tape holds {Count} entries.");
            var h = HeaderAt(i);
            return new Entry(_transforms[h.Transform], h.Input, h.Output, _data.AsSpan(_offsets[i] + HeaderSize, h.Size));
        }
    }

    internal readonly ref struct Entry(ITapeTransform transform, ImageInfo input, ImageInfo output, ReadOnlySpan<byte> parameters)
    {
        public ITapeTransform Transform { get; } = transform;
        public ImageInfo Input { get; } = input;
        public ImageInfo Output { get; } = output;
        public ReadOnlySpan<byte> Parameters { get; } = parameters;
    }

    /// <summary>The name of the transform applied at step <paramref name="i"/>.</summary>
    /// <param name="i">The step, 0 to <see cref="Count"/> − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is outside 0..Count − 1.</exception>
    public string NameAt(int i) => this[i].Transform.Name;

    /// <summary>Step <paramref name="i"/>'s parameters, typed (throws when that step's parameters are not a <typeparamref name="TParams"/>).</summary>
    /// <typeparam name="TParams">The step's parameter struct, e.g. <see cref="Geometric.RotateParams"/>.</typeparam>
    /// <param name="i">The step, 0 to <see cref="Count"/> − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is outside 0..Count − 1.</exception>
    /// <exception cref="InvalidOperationException">The step's transform does not take <typeparamref name="TParams"/>.</exception>
    public TParams ParametersAt<TParams>(int i) where TParams : unmanaged
    {
        var e = this[i];
        if (e.Transform is not ITransform<TParams>)
            throw new InvalidOperationException($"Step {i} is {e.Transform.Name}, whose parameters are not {typeof(TParams).Name}.");
        return MemoryMarshal.Read<TParams>(e.Parameters);
    }

    /// <summary>
    /// JSON: <c>{"input": [h, w, c], "transforms": [{"name": ..., "options": {...}, "params": {...}, "output": [h, w, c]}]}</c>
    /// (with <c>"precision"</c> when it is not <see cref="PipelinePrecision.Bytes"/>); enough to replay the sample with
    /// nothing else (<see cref="FromJson"/>).
    /// </summary>
    /// <returns>Compact (unindented) JSON; parameter and option names are snake_case.</returns>
    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (Precision != PipelinePrecision.Bytes) w.WriteString("precision", OptionMetadata.JsonName(Precision.ToString()));
            w.WritePropertyName("input");
            WriteShape(w, Input);
            w.WriteStartArray("transforms");
            for (int i = 0; i < Count; i++)
            {
                var e = this[i];
                w.WriteStartObject();
                w.WriteString("name", e.Transform.Name);
                w.WritePropertyName("options");
                PipelineConfig.WriteOptions(w, e.Transform.Options, withName: false);
                w.WritePropertyName("params");
                e.Transform.ParametersToJson(e.Parameters).WriteTo(w);
                w.WritePropertyName("output");
                WriteShape(w, e.Output);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Reads <see cref="ToJson"/>'s output back; transforms are rebuilt from their names and options through <paramref name="registry"/>.</summary>
    /// <param name="json">Recorded parameters, as <see cref="ToJson"/> writes them.</param>
    /// <param name="registry">The transform names to accept, or null for <see cref="TransformRegistry.Default"/>.</param>
    /// <param name="source">Names the input at the start of every error message.</param>
    /// <returns>A new tape whose input shape is the recorded one (run it on an image of exactly that shape).</returns>
    /// <exception cref="FormatException">The JSON is malformed, a step lacks its name or params, names a composition
    /// or an unknown transform, or holds a bad option, parameter or shape.</exception>
    public static ParameterTape FromJson(string json, TransformRegistry? registry = null, string source = "parameters")
    {
        registry ??= TransformRegistry.Default;
        try
        {
            using var doc = JsonDocument.Parse(json, TransformJson.DocumentOptions);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("transforms", out var steps) || steps.ValueKind != JsonValueKind.Array)
                throw new FormatException($"{source}: expected recorded parameters {{\"input\": [h, w, c], \"transforms\": [...]}}.");
            var tape = new ParameterTape();
            tape.Clear(root.TryGetProperty("input", out var input) ? ReadShape(input, source) : default);
            if (root.TryGetProperty("precision", out var precision)) tape.Precision = ReadPrecision(precision, source);
            var shape = tape.Input;
            int k = 0;
            foreach (var step in steps.EnumerateArray())
            {
                string where = $"{source}: transforms[{k++}]";
                if (!step.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                    throw new FormatException($"{where}: each recorded step needs a \"name\".");
                var options = step.TryGetProperty("options", out var o) ? o : default;
                var transform = registry.CreateLeaf(name.GetString()!, options, where);
                var output = step.TryGetProperty("output", out var outShape) ? ReadShape(outShape, where) : shape;
                if (!step.TryGetProperty("params", out var prm)) throw new FormatException($"{where}: the step has no \"params\".");
                var slot = tape.Reserve(transform, shape, output, transform.ParameterSize);
                try
                {
                    transform.ParametersFromJson(prm, slot);
                }
                catch (JsonException e)
                {
                    throw new FormatException($"{where} ({transform.Name}): bad \"params\": {e.Message}", e);
                }
                shape = output;
            }
            return tape;
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid recorded-parameters JSON ({e.Message}).", e);
        }
    }

    private static PipelinePrecision ReadPrecision(JsonElement e, string source)
    {
        var names = Enum.GetValues<PipelinePrecision>().ToDictionary(p => OptionMetadata.JsonName(p.ToString()));
        if (e.ValueKind == JsonValueKind.String && names.TryGetValue(e.GetString()!, out var p)) return p;
        throw new FormatException($"{source}: \"precision\" must be one of {string.Join(", ", names.Keys.Select(n => $"\"{n}\""))}; got {e.GetRawText()}.");
    }

    private static void WriteShape(Utf8JsonWriter w, ImageInfo s)
    {
        w.WriteStartArray();
        w.WriteNumberValue(s.Height);
        w.WriteNumberValue(s.Width);
        w.WriteNumberValue(s.Channels);
        w.WriteEndArray();
    }

    private static ImageInfo ReadShape(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 3)
            throw new FormatException($"{where}: a shape is [height, width, channels].");
        return ImageInfo.Create(e[0].GetInt32(), e[1].GetInt32(), e[2].GetInt32());
    }
}
