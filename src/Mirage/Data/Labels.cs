namespace Mirage.Data;

/// <summary>One per-sample array carried alongside the images: <see cref="Width"/> floats per sample, sample-major.</summary>
public sealed class LabelArray
{
    public LabelArray(string name, int width, float[] values)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "A label array needs at least one value per sample.");
        if (values.Length % width != 0)
            throw new ArgumentException($"'{name}' holds {values.Length} values, not a multiple of its width {width}.", nameof(values));
        Name = name;
        Width = width;
        Values = values;
    }

    public string Name { get; }
    public int Width { get; }
    public float[] Values { get; }
    public int Count => Values.Length / Width;

    public ReadOnlySpan<float> Of(int sample) => Values.AsSpan(sample * Width, Width);

    /// <summary>The rows <paramref name="rows"/>, in that order.</summary>
    public LabelArray Select(IReadOnlyList<int> rows)
    {
        var values = new float[rows.Count * Width];
        for (int i = 0; i < rows.Count; i++) Of(rows[i]).CopyTo(values.AsSpan(i * Width, Width));
        return new LabelArray(Name, Width, values);
    }
}

/// <summary>Everything per sample besides the image: labels (one or several outputs), extra inputs, sample weights.</summary>
public sealed class LabelSet
{
    public LabelSet(ClassMode mode, IReadOnlyList<LabelArray>? outputs = null, IReadOnlyList<LabelArray>? extraInputs = null, float[]? sampleWeights = null)
    {
        Mode = mode;
        Outputs = outputs ?? [];
        ExtraInputs = extraInputs ?? [];
        SampleWeights = sampleWeights;
    }

    public static LabelSet None { get; } = new(ClassMode.None);

    public ClassMode Mode { get; }
    public IReadOnlyList<LabelArray> Outputs { get; }
    /// <summary>Keras's x_misc: arrays passed through untouched next to the images.</summary>
    public IReadOnlyList<LabelArray> ExtraInputs { get; }
    public float[]? SampleWeights { get; }

    public LabelSet Select(IReadOnlyList<int> rows) => new(
        Mode,
        Outputs.Select(o => o.Select(rows)).ToArray(),
        ExtraInputs.Select(o => o.Select(rows)).ToArray(),
        SampleWeights is null ? null : rows.Select(r => SampleWeights[r]).ToArray());

    /// <summary>One-hot (or multi-hot) labels from class indices per sample.</summary>
    public static LabelArray Categorical(IReadOnlyList<int[]> classesPerSample, int classCount)
    {
        var values = new float[classesPerSample.Count * Math.Max(1, classCount)];
        for (int i = 0; i < classesPerSample.Count; i++)
            foreach (int c in classesPerSample[i]) values[i * classCount + c] = 1f;
        return new LabelArray("labels", Math.Max(1, classCount), values);
    }

    /// <summary>The class index as a float per sample (Keras's sparse and binary).</summary>
    public static LabelArray Index(IReadOnlyList<int> classes) =>
        new("labels", 1, classes.Select(c => (float)c).ToArray());

    /// <summary>Labels for <paramref name="mode"/> from one class per sample (folders).</summary>
    public static LabelSet ForClasses(ClassMode mode, IReadOnlyList<int> classes, int classCount) => mode switch
    {
        ClassMode.Categorical => new(mode, [Categorical(classes.Select(c => new[] { c }).ToArray(), classCount)]),
        ClassMode.Binary or ClassMode.Sparse => new(mode, [Index(classes)]),
        ClassMode.Input or ClassMode.None => new(mode),
        _ => throw new ArgumentException($"class_mode {mode} is not available for class folders; use categorical, binary, sparse, input or none."),
    };
}
