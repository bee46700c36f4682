using Mirage.Generation;

namespace Mirage.Data;

/// <summary>Keras's flow, flow_from_directory and flow_from_dataframe on an <see cref="ImageDataGenerator"/>.</summary>
/// <remarks>Each call builds a <see cref="BatchIterator{T}"/> that takes the generator's data_format (unless
/// <see cref="FlowOptions.DataFormat"/> is set), validation_split (unless <see cref="FlowOptions.ValidationSplit"/>
/// is set) and configuration (unless <see cref="FlowOptions.Configuration"/> is set). Dispose the iterator to stop its workers.</remarks>
public static class ImageDataGeneratorFlowExtensions
{
    /// <summary>flow(x, y): batches of augmented, standardized float images (x's layout is the generator's data_format).</summary>
    /// <param name="generator">Augments and standardizes each sample.</param>
    /// <param name="x">The images; their own layout is <see cref="ImageArray.Layout"/>.</param>
    /// <param name="y">Labels, the same number of rows as <paramref name="x"/> (any width), or null.</param>
    /// <param name="options">Batching, shuffle, seed, workers, subset…; null for Keras's defaults.</param>
    /// <param name="sampleWeight">One weight per image, or null.</param>
    /// <param name="extraInputs">Arrays passed through next to the images (Keras's x_misc), each with a row per image.</param>
    /// <exception cref="ArgumentException">A length does not match x, or a head split leaves the two subsets with
    /// different label sets.</exception>
    public static BatchIterator<float> Flow(this ImageDataGenerator generator, ImageArray x, float[]? y = null, FlowOptions? options = null,
        float[]? sampleWeight = null, IReadOnlyList<float[]>? extraInputs = null)
        => generator.Flow<float>(x, y, options, sampleWeight, extraInputs);

    /// <summary>flow with the batch element type chosen: float, or byte (rounded and clipped to 0..255).</summary>
    /// <typeparam name="T">float or byte.</typeparam>
    /// <param name="generator">Augments and standardizes each sample.</param>
    /// <param name="x">The images.</param>
    /// <param name="y">Labels, the same number of rows as <paramref name="x"/>, or null.</param>
    /// <param name="options">Batching, shuffle, seed, workers, subset…; null for Keras's defaults.</param>
    /// <param name="sampleWeight">One weight per image, or null.</param>
    /// <param name="extraInputs">Arrays passed through next to the images.</param>
    /// <exception cref="ArgumentException">A length does not match x.</exception>
    public static BatchIterator<T> Flow<T>(this ImageDataGenerator generator, ImageArray x, float[]? y = null, FlowOptions? options = null,
        float[]? sampleWeight = null, IReadOnlyList<float[]>? extraInputs = null) where T : unmanaged
        => DataPipeline.FromArrays<T>(x, y, ISampleAugmenter.Of(generator), Configured(options ?? new FlowOptions(), generator), sampleWeight, extraInputs,
            generator.Options.DataFormat, generator.Options.ValidationSplit);

    /// <summary>flow_from_directory(directory, target_size, color_mode, classes, class_mode, …).</summary>
    /// <param name="generator">Augments and standardizes each sample.</param>
    /// <param name="directory">One sub-folder per class; images found recursively.</param>
    /// <param name="options">target_size (default 256×256), color_mode, classes, class_mode and the flow options.</param>
    /// <exception cref="DirectoryNotFoundException">The folder, or a listed class folder, does not exist.</exception>
    /// <exception cref="ArgumentException">class_mode binary without exactly two classes, or raw/multi-output.</exception>
    public static BatchIterator<float> FlowFromDirectory(this ImageDataGenerator generator, string directory, DirectoryFlowOptions? options = null)
        => generator.FlowFromDirectory<float>(directory, options);

    /// <summary>flow_from_directory with the batch element type chosen: float, or byte (rounded and clipped to 0..255).</summary>
    /// <typeparam name="T">float or byte.</typeparam>
    /// <param name="generator">Augments and standardizes each sample.</param>
    /// <param name="directory">One sub-folder per class; images found recursively.</param>
    /// <param name="options">target_size, color_mode, classes, class_mode and the flow options.</param>
    /// <exception cref="DirectoryNotFoundException">The folder, or a listed class folder, does not exist.</exception>
    public static BatchIterator<T> FlowFromDirectory<T>(this ImageDataGenerator generator, string directory, DirectoryFlowOptions? options = null)
        where T : unmanaged
        => DataPipeline.FromDirectory<T>(directory, ISampleAugmenter.Of(generator), Configured(options ?? new DirectoryFlowOptions(), generator), generator.Options.DataFormat, generator.Options.ValidationSplit);

    /// <summary>flow_from_dataframe over an in-code table.</summary>
    /// <param name="generator">Augments and standardizes each sample.</param>
    /// <param name="table">File paths and labels.</param>
    /// <param name="options">Columns (x_col, y_col, weight_col), class_mode, target_size and the flow options.</param>
    /// <exception cref="ArgumentException">A named column is missing or the class_mode does not fit the columns.</exception>
    public static BatchIterator<float> FlowFromDataFrame(this ImageDataGenerator generator, Table table, TableFlowOptions? options = null)
        => generator.FlowFromDataFrame<float>(table, options);

    /// <summary>flow_from_dataframe with the batch element type chosen: float, or byte (rounded and clipped to 0..255).</summary>
    /// <typeparam name="T">float or byte.</typeparam>
    /// <param name="generator">Augments and standardizes each sample.</param>
    /// <param name="table">File paths and labels.</param>
    /// <param name="options">Columns, class_mode, target_size and the flow options.</param>
    /// <exception cref="ArgumentException">A named column is missing or the class_mode does not fit the columns.</exception>
    public static BatchIterator<T> FlowFromDataFrame<T>(this ImageDataGenerator generator, Table table, TableFlowOptions? options = null)
        where T : unmanaged
        => DataPipeline.FromTable<T>(table, ISampleAugmenter.Of(generator), Configured(options ?? new TableFlowOptions(), generator), generator.Options.DataFormat, generator.Options.ValidationSplit);

    /// <summary>flow_from_dataframe over a CSV file (header row; see <see cref="Table.FromCsv"/>).</summary>
    /// <param name="generator">Augments and standardizes each sample.</param>
    /// <param name="csvPath">The CSV file.</param>
    /// <param name="options">Columns, class_mode, target_size and the flow options.</param>
    /// <exception cref="FormatException">The CSV is malformed.</exception>
    /// <exception cref="ArgumentException">A named column is missing or the class_mode does not fit the columns.</exception>
    public static BatchIterator<float> FlowFromCsv(this ImageDataGenerator generator, string csvPath, TableFlowOptions? options = null)
        => generator.FlowFromDataFrame<float>(Table.FromCsv(csvPath), options);

    /// <summary>The flow's options with the generator's configuration where they name none.</summary>
    private static TOptions Configured<TOptions>(TOptions options, ImageDataGenerator generator) where TOptions : FlowOptions =>
        options.Configuration is not null || ReferenceEquals(generator.Configuration, MirageConfiguration.Default)
            ? options
            : (TOptions)(options with { Configuration = generator.Configuration });
}
