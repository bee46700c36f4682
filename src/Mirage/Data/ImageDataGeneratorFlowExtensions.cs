using Mirage.Generation;

namespace Mirage.Data;

/// <summary>Keras's flow, flow_from_directory and flow_from_dataframe on an <see cref="ImageDataGenerator"/>.</summary>
public static class ImageDataGeneratorFlowExtensions
{
    /// <summary>flow(x, y): batches of augmented, standardized float images (x's layout is the generator's data_format).</summary>
    public static BatchIterator<float> Flow(this ImageDataGenerator generator, ImageArray x, float[]? y = null, FlowOptions? options = null,
        float[]? sampleWeight = null, IReadOnlyList<float[]>? extraInputs = null)
        => generator.Flow<float>(x, y, options, sampleWeight, extraInputs);

    /// <summary>flow with the batch element type chosen: float, or byte (rounded and clipped to 0..255).</summary>
    public static BatchIterator<T> Flow<T>(this ImageDataGenerator generator, ImageArray x, float[]? y = null, FlowOptions? options = null,
        float[]? sampleWeight = null, IReadOnlyList<float[]>? extraInputs = null) where T : unmanaged
        => DataPipeline.FromArrays<T>(x, y, ISampleAugmenter.Of(generator), options, sampleWeight, extraInputs,
            generator.Options.DataFormat, generator.Options.ValidationSplit);

    /// <summary>flow_from_directory(directory, target_size, color_mode, classes, class_mode, …).</summary>
    public static BatchIterator<float> FlowFromDirectory(this ImageDataGenerator generator, string directory, DirectoryFlowOptions? options = null)
        => generator.FlowFromDirectory<float>(directory, options);

    public static BatchIterator<T> FlowFromDirectory<T>(this ImageDataGenerator generator, string directory, DirectoryFlowOptions? options = null)
        where T : unmanaged
        => DataPipeline.FromDirectory<T>(directory, ISampleAugmenter.Of(generator), options, generator.Options.DataFormat, generator.Options.ValidationSplit);

    /// <summary>flow_from_dataframe over an in-code table.</summary>
    public static BatchIterator<float> FlowFromDataFrame(this ImageDataGenerator generator, Table table, TableFlowOptions? options = null)
        => generator.FlowFromDataFrame<float>(table, options);

    public static BatchIterator<T> FlowFromDataFrame<T>(this ImageDataGenerator generator, Table table, TableFlowOptions? options = null)
        where T : unmanaged
        => DataPipeline.FromTable<T>(table, ISampleAugmenter.Of(generator), options, generator.Options.DataFormat, generator.Options.ValidationSplit);

    /// <summary>flow_from_dataframe over a CSV file (header row; see <see cref="Table.FromCsv"/>).</summary>
    public static BatchIterator<float> FlowFromCsv(this ImageDataGenerator generator, string csvPath, TableFlowOptions? options = null)
        => generator.FlowFromDataFrame<float>(Table.FromCsv(csvPath), options);
}
