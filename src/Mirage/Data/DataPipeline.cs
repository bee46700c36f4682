using System.Globalization;
using Mirage.Generation;

namespace Mirage.Data;

/// <summary>
/// Builds Keras's three iterators from an optional augmenter: <see cref="FromArrays"/> (flow),
/// <see cref="FromDirectory"/> (flow_from_directory) and <see cref="FromTable"/> (flow_from_dataframe).
/// <see cref="ImageDataGeneratorFlowExtensions"/> calls these with a generator.
/// </summary>
public static class DataPipeline
{
    /// <summary>flow(x, y, sample_weight): x with optional labels, extra inputs passed through, and weights.</summary>
    /// <typeparam name="T">The batch element type: float or byte.</typeparam>
    /// <param name="x">The images (validated here).</param>
    /// <param name="y">Labels with a whole number of values per image (class_mode raw), or null (none).</param>
    /// <param name="augmenter">Augments and standardizes each sample, or null to pass them through.</param>
    /// <param name="options">Batching, shuffle, seed, workers, subset…; null for Keras's defaults.</param>
    /// <param name="sampleWeight">One weight per image, or null.</param>
    /// <param name="extraInputs">Arrays passed through next to the images (Keras's x_misc), each a whole number of values
    /// per image.</param>
    /// <param name="generatorFormat">The generator's data_format, used when the options give none.</param>
    /// <param name="generatorSplit">The generator's validation_split, used when the options give none.</param>
    /// <exception cref="ArgumentException">x is inconsistent, a length does not match x, a subset is asked for without a
    /// split, or a head split leaves the subsets with different label sets (Keras's check).</exception>
    public static BatchIterator<T> FromArrays<T>(ImageArray x, float[]? y, ISampleAugmenter? augmenter, FlowOptions? options = null,
        float[]? sampleWeight = null, IReadOnlyList<float[]>? extraInputs = null, DataFormat? generatorFormat = null, double generatorSplit = 0)
        where T : unmanaged
    {
        options ??= new FlowOptions();
        x.Validate();
        int n = x.Count;
        var outputs = new List<LabelArray>();
        if (y is not null)
        {
            if (n == 0 ? y.Length != 0 : y.Length % n != 0)
                throw new ArgumentException($"x (images) and y (labels) should have the same length. Found: {n} images and {y.Length} label values.");
            outputs.Add(new LabelArray("y", n == 0 ? 1 : Math.Max(1, y.Length / n), y));
        }
        if (sampleWeight is not null && sampleWeight.Length != n)
            throw new ArgumentException($"x (images) and sample_weight should have the same length. Found: {n} images and {sampleWeight.Length} weights.");
        var extras = new List<LabelArray>();
        foreach (var (e, i) in (extraInputs ?? []).Select((e, i) => (e, i)))
        {
            if (n == 0 ? e.Length != 0 : e.Length % n != 0)
                throw new ArgumentException($"All of the arrays in x should have the same length. Found a pair with: {n} images, extra input {i} with {e.Length} values.");
            extras.Add(new LabelArray($"x{i + 1}", n == 0 ? 1 : Math.Max(1, e.Length / n), e));
        }
        var labels = new LabelSet(y is null ? ClassMode.None : ClassMode.Raw, outputs, extras, sampleWeight);

        int[]? rows = null;
        if (options.Subset is { } subset)
        {
            double split = SplitOf(options, generatorSplit);
            rows = ImageFiles.Split(n, split, subset, options.SplitMode, options.SplitSeed);
            if (options.SplitMode == SplitMode.Head && y is not null && outputs[0].Width == 1)
            {
                int k = (int)(split * n);
                var head = new HashSet<float>(y.Take(k));
                var tail = new HashSet<float>(y.Skip(k));
                if (!head.SetEquals(tail))
                    throw new ArgumentException("Training and validation subsets have different number of classes after the split. " +
                        "If your arrays are sorted by the label, shuffle them, or use SplitMode.Shuffled.");
            }
            labels = labels.Select(rows);
        }
        return new BatchIterator<T>(new ArraySource(x, labels, rows), augmenter, options, generatorFormat);
    }

    /// <summary>flow_from_directory: one sub-folder per class (sorted, or the given list in its order), files found recursively.</summary>
    /// <typeparam name="T">The batch element type: float or byte.</typeparam>
    /// <param name="directory">The dataset folder.</param>
    /// <param name="augmenter">Augments and standardizes each sample, or null to pass them through.</param>
    /// <param name="options">target_size, color_mode, classes, class_mode and the flow options; null for Keras's defaults.</param>
    /// <param name="generatorFormat">The generator's data_format, used when the options give none.</param>
    /// <param name="generatorSplit">The generator's validation_split, used when the options give none.</param>
    /// <exception cref="DirectoryNotFoundException">The folder, or a listed class folder, does not exist.</exception>
    /// <exception cref="ArgumentException">An unsupported class_mode, binary without two classes, or a subset without a split.</exception>
    public static BatchIterator<T> FromDirectory<T>(string directory, ISampleAugmenter? augmenter, DirectoryFlowOptions? options = null,
        DataFormat? generatorFormat = null, double generatorSplit = 0) where T : unmanaged
        => new(ScanDirectory(directory, WithScaledDecode(options ??= new DirectoryFlowOptions(), augmenter), generatorSplit), augmenter, options, generatorFormat);

    /// <summary>The file source flow_from_directory iterates (class discovery, recursive listing, per-class split).</summary>
    /// <param name="directory">The dataset folder.</param>
    /// <param name="options">Which classes, class_mode, subset and how to load files.</param>
    /// <param name="generatorSplit">The validation split used when the options give none.</param>
    /// <returns>The files (per class, sorted), their labels and load options; writes Keras's "Found N images belonging
    /// to K classes." to the log.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder, or a listed class folder, does not exist.</exception>
    /// <exception cref="ArgumentException">An unsupported class_mode, binary without two classes, a subset without a
    /// split, or an invalid target size.</exception>
    public static FileSource ScanDirectory(string directory, DirectoryFlowOptions options, double generatorSplit = 0)
    {
        ImageFiles.RequireDirectory(directory);
        var classNames = options.Classes is { Count: > 0 } given ? given : ImageFiles.DiscoverClasses(directory);
        if (options.ClassMode is ClassMode.Raw or ClassMode.MultiOutput)
            throw new ArgumentException($"Invalid class_mode {options.ClassMode} for a directory; expected categorical, binary, sparse, input or none.");
        double split = options.Subset is null ? 0 : SplitOf(options, generatorSplit);
        var filenames = new CompactStrings();
        var classes = new List<int>();
        for (int c = 0; c < classNames.Count; c++)
        {
            var classDir = Path.Combine(directory, classNames[c]);
            if (!Directory.Exists(classDir))
                throw new DirectoryNotFoundException(
                    $"Class folder '{classDir}' does not exist (classes: {string.Join(", ", classNames)}). Keras 1.1.0 would keep " +
                    $"'{classNames[c]}' as a class with no images; fix the name, or create the empty folder if that is what you want.");
            var found = ImageFiles.Stream(classDir, options.FollowLinks, ImageFiles.LogCycles(options.Log));
            if (options.Subset is not { } subset)
            {
                foreach (var f in found)
                {
                    filenames.Add(Path.Combine(classNames[c], f));
                    classes.Add(c);
                }
                continue;
            }
            var files = new CompactStrings(); // the split needs the class's count first
            foreach (var f in found) files.Add(Path.Combine(classNames[c], f));
            foreach (int i in ImageFiles.Split(files.Count, split, subset, options.SplitMode, options.SplitSeed, c))
            {
                filenames.Add(files[i]);
                classes.Add(c);
            }
        }
        if (options.ClassMode == ClassMode.Binary && classNames.Count != 2)
            throw new ArgumentException($"class_mode binary needs exactly 2 classes; found {classNames.Count}: {string.Join(", ", classNames)}.");
        var classArray = classes.ToArray();
        classes = null;
        var labels = LabelSet.ForClasses(options.ClassMode, classArray, classNames.Count);
        options.Log?.WriteLine($"Found {filenames.Count} images belonging to {classNames.Count} classes.");
        return new FileSource(filenames, directory, LoadOptionsOf(options), labels, classNames, classArray);
    }

    /// <summary>flow_from_dataframe over a CSV file.</summary>
    /// <typeparam name="T">The batch element type: float or byte.</typeparam>
    /// <param name="csvPath">The CSV file (header row).</param>
    /// <param name="augmenter">Augments and standardizes each sample, or null to pass them through.</param>
    /// <param name="options">Columns, class_mode, target_size and the flow options; null for the defaults.</param>
    /// <param name="generatorFormat">The generator's data_format, used when the options give none.</param>
    /// <param name="generatorSplit">The generator's validation_split, used when the options give none.</param>
    /// <exception cref="FormatException">The CSV is malformed or a numeric column holds text.</exception>
    /// <exception cref="ArgumentException">A named column is missing or the class_mode does not fit the columns.</exception>
    public static BatchIterator<T> FromCsv<T>(string csvPath, ISampleAugmenter? augmenter, TableFlowOptions? options = null,
        DataFormat? generatorFormat = null, double generatorSplit = 0) where T : unmanaged
        => FromTable<T>(Table.FromCsv(csvPath), augmenter, options, generatorFormat, generatorSplit);

    /// <summary>flow_from_dataframe: a path column and label column(s), with Keras's class modes, weights and validate_filenames.</summary>
    /// <typeparam name="T">The batch element type: float or byte.</typeparam>
    /// <param name="table">File paths and labels.</param>
    /// <param name="augmenter">Augments and standardizes each sample, or null to pass them through.</param>
    /// <param name="options">Columns, class_mode, target_size and the flow options; null for the defaults.</param>
    /// <param name="generatorFormat">The generator's data_format, used when the options give none.</param>
    /// <param name="generatorSplit">The generator's validation_split, used when the options give none.</param>
    /// <exception cref="FormatException">A numeric column (weights, raw labels) holds text.</exception>
    /// <exception cref="ArgumentException">A named column is missing or the class_mode does not fit the columns.</exception>
    public static BatchIterator<T> FromTable<T>(Table table, ISampleAugmenter? augmenter, TableFlowOptions? options = null,
        DataFormat? generatorFormat = null, double generatorSplit = 0) where T : unmanaged
        => new(ScanTable(table, WithScaledDecode(options ??= new TableFlowOptions(), augmenter), generatorSplit), augmenter, options, generatorFormat);

    /// <summary>
    /// Resolves <see cref="FileFlowOptions.ScaledDecode"/> = null: on when a pipeline that is not of
    /// <see cref="Transforms.Pipelines.PipelinePrecision.Float"/> precision drives the flow (a generator that is not
    /// KerasCompatible, or built from a pipeline config: that path already trades Keras's exact pixels for speed, and a
    /// user who asks for 224×224 from camera photos wants them fast; the DCT scale is also a proper low-pass, where
    /// Keras's default nearest resize aliases), off for KerasCompatible generators and for flows without a generator
    /// (Keras's load_img pixels).
    /// </summary>
    internal static TOptions WithScaledDecode<TOptions>(TOptions options, ISampleAugmenter? augmenter) where TOptions : FileFlowOptions
    {
        if (options.ScaledDecode is not null) return options;
        bool auto = options.FineScaledDecode || augmenter?.Pipeline is { Precision: not Transforms.Pipelines.PipelinePrecision.Float };
        return (TOptions)(options with { ScaledDecode = auto });
    }

    /// <summary>The file source flow_from_dataframe iterates: rows validated (validate_filenames), classes found (sorted
    /// by code point, or the given ones, dropping rows outside them), labels built for the class_mode, then the split.</summary>
    /// <param name="table">File paths and labels.</param>
    /// <param name="options">Columns, class_mode, classes, subset and how to load files.</param>
    /// <param name="generatorSplit">The validation split used when the options give none.</param>
    /// <exception cref="FormatException">A numeric column (weights, raw labels) holds text.</exception>
    /// <exception cref="ArgumentException">A named column is missing, the class_mode does not fit the columns, binary
    /// does not have two classes, or a subset is asked for without a split.</exception>
    public static FileSource ScanTable(Table table, TableFlowOptions options, double generatorSplit = 0)
    {
        var mode = options.ClassMode;
        int xCol = table.IndexOf(options.XColumn);
        bool needsY = mode is not (ClassMode.Input or ClassMode.None);
        if (mode == ClassMode.MultiOutput && options.YColumns.Count < 1)
            throw new ArgumentException("class_mode multi_output needs at least one y column.");
        if (mode is ClassMode.Categorical or ClassMode.Binary or ClassMode.Sparse && options.YColumns.Count != 1)
            throw new ArgumentException($"class_mode {mode} takes exactly one y column; got {options.YColumns.Count}.");
        int[] yCols = needsY ? options.YColumns.Select(table.IndexOf).ToArray() : [];
        int wCol = options.WeightColumn is { } w ? table.IndexOf(w) : -1;

        IEnumerable<string[]> rows = table.Rows;
        string Full(string f) => options.Directory is null ? f : Path.Combine(options.Directory, f);
        if (options.ValidateFilenames)
        {
            var valid = table.Rows.Where(r => ImageFiles.HasImageExtension(r[xCol]) && File.Exists(Full(r[xCol]))).ToList();
            int invalid = table.Rows.Count - valid.Count;
            if (invalid > 0)
                options.Log?.WriteLine($"mirage: found {invalid} invalid image filename(s) in x_col=\"{options.XColumn}\"; they will be ignored.");
            rows = valid;
        }

        IReadOnlyList<string> classNames = [];
        if (mode is ClassMode.Categorical or ClassMode.Binary or ClassMode.Sparse)
        {
            string[] LabelsOf(string[] r) => mode == ClassMode.Categorical && options.LabelSeparator is { } sep
                ? r[yCols[0]].Split(sep, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [r[yCols[0]]];
            if (options.Classes is { Count: > 0 } given)
            {
                if (mode == ClassMode.Binary && given.Distinct().Count() != 2)
                    throw new ArgumentException($"If class_mode is binary there must be 2 classes. {given.Distinct().Count()} class/es were given.");
                var set = new HashSet<string>(given);
                // Keras drops the labels (and then the rows) outside the given classes; the classes come out sorted.
                rows = rows.Where(r => LabelsOf(r).Any(set.Contains)).ToList();
                classNames = set.OrderBy(c => c, CodePointComparer.Instance).ToArray();
            }
            else
            {
                classNames = rows.SelectMany(LabelsOf).Distinct().OrderBy(c => c, CodePointComparer.Instance).ToArray();
                if (mode == ClassMode.Binary && classNames.Count != 2)
                    throw new ArgumentException($"If class_mode is binary there must be 2 classes. Found {classNames.Count} classes.");
            }
            var selected = rows.ToList();
            rows = selected;
            var index = classNames.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
            return Finish(selected, r => LabelsOf(r).Where(index.ContainsKey).Select(l => index[l]).ToArray(), classNames);
        }
        return Finish(rows.ToList(), null, classNames);

        FileSource Finish(List<string[]> kept, Func<string[], int[]>? classOf, IReadOnlyList<string> names)
        {
            if (options.Subset is { } subset)
            {
                var pick = ImageFiles.Split(kept.Count, SplitOf(options, generatorSplit), subset, options.SplitMode, options.SplitSeed);
                kept = pick.Select(i => kept[i]).ToList();
            }
            var filenames = kept.Select(r => r[xCol]).ToArray();
            float[]? weights = wCol < 0 ? null : kept.Select(r => ParseNumber(r[wCol], options.WeightColumn!)).ToArray();
            var outputs = new List<LabelArray>();
            IReadOnlyList<int>? single = null;
            switch (mode)
            {
                case ClassMode.Categorical:
                    outputs.Add(LabelSet.Categorical(kept.Select(classOf!).ToArray(), names.Count));
                    single = kept.Select(r => classOf!(r)).All(c => c.Length == 1) ? kept.Select(r => classOf!(r)[0]).ToArray() : null;
                    break;
                case ClassMode.Binary:
                case ClassMode.Sparse:
                    single = kept.Select(r => classOf!(r)[0]).ToArray();
                    outputs.Add(LabelSet.Index(single));
                    break;
                case ClassMode.Raw:
                    outputs.Add(new LabelArray("y", yCols.Length,
                        kept.SelectMany(r => yCols.Select(c => ParseNumber(r[c], table.Columns[c]))).ToArray()));
                    break;
                case ClassMode.MultiOutput:
                    foreach (int c in yCols)
                        outputs.Add(new LabelArray(table.Columns[c], 1, kept.Select(r => ParseNumber(r[c], table.Columns[c])).ToArray()));
                    break;
            }
            var labels = new LabelSet(mode, outputs, null, weights);
            options.Log?.WriteLine(names.Count > 0
                ? $"Found {filenames.Length} {(options.ValidateFilenames ? "validated" : "non-validated")} image filenames belonging to {names.Count} classes."
                : $"Found {filenames.Length} {(options.ValidateFilenames ? "validated" : "non-validated")} image filenames.");
            return new FileSource(filenames, options.Directory, LoadOptionsOf(options), labels, names, single);
        }
    }

    private static float ParseNumber(string cell, string column) =>
        float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new FormatException($"Column '{column}' must be numeric; found '{cell}'.");

    internal static ImageLoadOptions LoadOptionsOf(FileFlowOptions o)
    {
        if (o.TargetSize.Height < 1 || o.TargetSize.Width < 1)
            throw new ArgumentOutOfRangeException(nameof(o), o.TargetSize,
                $"FileFlowOptions.TargetSize is (height, width) and both must be at least 1; got ({o.TargetSize.Height}, {o.TargetSize.Width}).");
        var load = new ImageLoadOptions(o.TargetSize, o.ColorMode, o.Interpolation, o.KeepAspectRatio, o.Decoder, o.ScaledDecode ?? false,
            o.FineScaledDecode && o.ScaledDecode != false, o.MaxPixels) { Configuration = o.Configuration ?? MirageConfiguration.Default };
        // A batch is one float block: refuse sizes it cannot hold now, not with an overflow at the first batch.
        long batchFloats = (long)o.BatchSize * load.SampleShape.Height * load.SampleShape.Width * load.SampleShape.Channels;
        if (batchFloats > Array.MaxLength)
            throw new ArgumentException(
                $"BatchSize {o.BatchSize} × TargetSize {o.TargetSize.Width}x{o.TargetSize.Height} (width x height) × {load.SampleShape.Channels} channel(s) " +
                $"is {batchFloats:N0} floats, more than one batch array can hold ({Array.MaxLength:N0}); use a smaller batch or target size.");
        return load;
    }

    private static double SplitOf(FlowOptions o, double generatorSplit)
    {
        double split = o.ValidationSplit ?? generatorSplit;
        if (split <= 0)
            throw new ArgumentException("A subset was asked for but validation_split is 0; set it on the generator (or FlowOptions.ValidationSplit), " +
                "or leave Subset unset to iterate every file (what Keras 1.1.0 gives for subset='training' with no split).");
        return split;
    }
}
