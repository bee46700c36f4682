namespace Mirage.Data;

/// <summary>
/// One per-sample array carried alongside the images: <see cref="Width"/> floats per sample. Dense arrays hold the
/// values; class labels hold only class indices and expand to one-hot (multi-hot) rows when a batch is filled, so
/// labels cost O(samples), not O(samples × classes).
/// </summary>
public sealed class LabelArray
{
    private readonly float[]? _values;
    private readonly int[]? _offsets; // sample i's classes are _classes[_offsets[i].._offsets[i + 1]]; null: one class each
    private readonly int[]? _classes;

    /// <summary>A dense array: <paramref name="width"/> values per sample, sample after sample.</summary>
    /// <param name="name">Names the array in batches and errors (<c>y</c>, a column name, <c>x1</c>).</param>
    /// <param name="width">Values per sample; at least 1.</param>
    /// <param name="values">(samples, width) row-major; kept, not copied.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The length of <paramref name="values"/> is not a multiple of <paramref name="width"/>.</exception>
    public LabelArray(string name, int width, float[] values)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "A label array needs at least one value per sample.");
        if (values.Length % width != 0)
            throw new ArgumentException($"'{name}' holds {values.Length} values, not a multiple of its width {width}.", nameof(values));
        Name = name;
        Width = width;
        _values = values;
        Count = values.Length / width;
    }

    private LabelArray(string name, int classCount, int[]? offsets, int[] classes)
    {
        Name = name;
        Width = Math.Max(1, classCount);
        _offsets = offsets;
        _classes = classes;
        Count = offsets is null ? classes.Length : offsets.Length - 1;
    }

    /// <summary>One-hot rows of <paramref name="classCount"/> from one class index per sample (an int[] is kept, not copied).</summary>
    /// <param name="classPerSample">Each sample's class, 0 to classCount − 1.</param>
    /// <param name="classCount">Classes: the width of each row.</param>
    /// <param name="name">Names the array in batches.</param>
    /// <exception cref="ArgumentOutOfRangeException">A class index is outside 0..classCount − 1.</exception>
    public static LabelArray OneHot(IReadOnlyList<int> classPerSample, int classCount, string name = "labels")
    {
        var classes = classPerSample as int[] ?? classPerSample.ToArray();
        foreach (int c in classes)
            if ((uint)c >= (uint)Math.Max(1, classCount)) throw new ArgumentOutOfRangeException(nameof(classPerSample), c, $"Class index outside 0..{classCount - 1}.");
        return new LabelArray(name, classCount, null, classes);
    }

    /// <summary>One-hot (multi-hot when a sample has several) rows of <paramref name="classCount"/> from class indices.</summary>
    /// <param name="classesPerSample">Each sample's classes (none gives a row of zeros); copied.</param>
    /// <param name="classCount">Classes: the width of each row.</param>
    /// <param name="name">Names the array in batches.</param>
    /// <exception cref="ArgumentOutOfRangeException">A class index is outside 0..classCount − 1.</exception>
    public static LabelArray OneHot(IReadOnlyList<int[]> classesPerSample, int classCount, string name = "labels")
    {
        var offsets = new int[classesPerSample.Count + 1];
        for (int i = 0; i < classesPerSample.Count; i++) offsets[i + 1] = offsets[i] + classesPerSample[i].Length;
        var classes = new int[offsets[^1]];
        for (int i = 0; i < classesPerSample.Count; i++)
            foreach (var (c, k) in classesPerSample[i].Select((c, k) => (c, k)))
            {
                if ((uint)c >= (uint)Math.Max(1, classCount)) throw new ArgumentOutOfRangeException(nameof(classesPerSample), c, $"Class index outside 0..{classCount - 1}.");
                classes[offsets[i] + k] = c;
            }
        return new LabelArray(name, classCount, offsets, classes);
    }

    /// <summary>Names the array in batches and errors.</summary>
    public string Name { get; }
    /// <summary>Values per sample (the class count for one-hot labels).</summary>
    public int Width { get; }
    /// <summary>Samples held.</summary>
    public int Count { get; }

    /// <summary>Writes sample <paramref name="sample"/>'s row (<see cref="Width"/> values) into <paramref name="dst"/>.</summary>
    /// <param name="sample">0 to <see cref="Count"/> − 1.</param>
    /// <param name="dst">At least <see cref="Width"/> values; the first Width are overwritten.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sample"/> is out of range or <paramref name="dst"/> is too short.</exception>
    public void CopyTo(int sample, Span<float> dst)
    {
        if (_values is not null)
        {
            _values.AsSpan(sample * Width, Width).CopyTo(dst);
            return;
        }
        dst[..Width].Clear();
        if (_offsets is null)
        {
            dst[_classes![sample]] = 1f;
            return;
        }
        for (int k = _offsets[sample]; k < _offsets[sample + 1]; k++) dst[_classes![k]] = 1f;
    }

    /// <summary>The rows <paramref name="rows"/>, in that order.</summary>
    /// <param name="rows">Sample positions, each 0 to <see cref="Count"/> − 1; repeats allowed.</param>
    /// <returns>A new array (of the same kind: class indices stay indices).</returns>
    public LabelArray Select(IReadOnlyList<int> rows)
    {
        if (_values is null && _offsets is null)
            return OneHot(rows.Select(r => _classes![r]).ToArray(), Width, Name);
        if (_values is null)
            return OneHot(rows.Select(r => _classes.AsSpan(_offsets![r], _offsets[r + 1] - _offsets[r]).ToArray()).ToArray(), Width, Name);
        var values = new float[rows.Count * Width];
        for (int i = 0; i < rows.Count; i++) CopyTo(rows[i], values.AsSpan(i * Width, Width));
        return new LabelArray(Name, Width, values);
    }
}

/// <summary>Everything per sample besides the image: labels (one or several outputs), extra inputs, sample weights.</summary>
public sealed class LabelSet
{
    /// <summary>Labels of one source; every array must have one row per sample (not checked here).</summary>
    /// <param name="mode">The class_mode the arrays follow.</param>
    /// <param name="outputs">The label outputs (one, or one per column for multi-output), or null for none.</param>
    /// <param name="extraInputs">Arrays passed through next to the images, or null.</param>
    /// <param name="sampleWeights">One weight per sample, or null; kept, not copied.</param>
    public LabelSet(ClassMode mode, IReadOnlyList<LabelArray>? outputs = null, IReadOnlyList<LabelArray>? extraInputs = null, float[]? sampleWeights = null)
    {
        Mode = mode;
        Outputs = outputs ?? [];
        ExtraInputs = extraInputs ?? [];
        SampleWeights = sampleWeights;
    }

    /// <summary>No labels (class_mode none), no extra inputs, no weights.</summary>
    public static LabelSet None { get; } = new(ClassMode.None);

    /// <summary>The class_mode the arrays follow.</summary>
    public ClassMode Mode { get; }
    /// <summary>The label outputs: one for categorical, binary, sparse and raw; one per column for multi-output; none
    /// for input and none.</summary>
    public IReadOnlyList<LabelArray> Outputs { get; }
    /// <summary>Keras's x_misc: arrays passed through untouched next to the images.</summary>
    public IReadOnlyList<LabelArray> ExtraInputs { get; }
    /// <summary>Keras's sample_weight: one weight per sample, or null.</summary>
    public float[]? SampleWeights { get; }

    /// <summary>The labels of <paramref name="rows"/>, in that order (a validation split).</summary>
    /// <param name="rows">Sample positions.</param>
    /// <returns>A new set of the same mode.</returns>
    public LabelSet Select(IReadOnlyList<int> rows) => new(
        Mode,
        Outputs.Select(o => o.Select(rows)).ToArray(),
        ExtraInputs.Select(o => o.Select(rows)).ToArray(),
        SampleWeights is null ? null : rows.Select(r => SampleWeights[r]).ToArray());

    /// <summary>One-hot (or multi-hot) labels from class indices per sample.</summary>
    /// <param name="classesPerSample">Each sample's classes.</param>
    /// <param name="classCount">Classes: the width of each row.</param>
    /// <exception cref="ArgumentOutOfRangeException">A class index is outside 0..classCount − 1.</exception>
    public static LabelArray Categorical(IReadOnlyList<int[]> classesPerSample, int classCount) => LabelArray.OneHot(classesPerSample, classCount);

    /// <summary>The class index as a float per sample (Keras's sparse and binary).</summary>
    /// <param name="classes">Each sample's class index.</param>
    public static LabelArray Index(IReadOnlyList<int> classes) =>
        new("labels", 1, classes.Select(c => (float)c).ToArray());

    /// <summary>Labels for <paramref name="mode"/> from one class per sample (folders).</summary>
    /// <param name="mode">Categorical, binary, sparse, input or none.</param>
    /// <param name="classes">Each sample's class index.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <exception cref="ArgumentException"><paramref name="mode"/> is raw or multi-output.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A class index is outside 0..classCount − 1 (categorical).</exception>
    public static LabelSet ForClasses(ClassMode mode, IReadOnlyList<int> classes, int classCount) => mode switch
    {
        ClassMode.Categorical => new(mode, [LabelArray.OneHot(classes, classCount)]),
        ClassMode.Binary or ClassMode.Sparse => new(mode, [Index(classes)]),
        ClassMode.Input or ClassMode.None => new(mode),
        _ => throw new ArgumentException($"class_mode {mode} is not available for class folders; use categorical, binary, sparse, input or none."),
    };
}
