using Mirage.Imaging;

namespace Mirage.Data;

/// <summary>
/// A dataset of <see cref="Count"/> samples of one shape that loads any sample by its position, on any thread.
/// Sources hold file names and labels, never decoded images: memory does not grow with the images' total size.
/// </summary>
/// <remarks>Implementations must let <see cref="Load"/> run on several threads at once (the batch iterator's workers
/// call it concurrently for different indices).</remarks>
public abstract class DataSource
{
    /// <summary>Number of samples; indices run from 0 to Count − 1.</summary>
    public abstract int Count { get; }

    /// <summary>Height × width × channels of every loaded sample.</summary>
    public abstract ImageInfo SampleShape { get; }

    /// <summary>Loads sample <paramref name="index"/> into <paramref name="dst"/> (HWC, <see cref="SampleShape"/>).
    /// A bad input throws <see cref="Codecs.ImageDecodeException"/> naming the file.</summary>
    /// <param name="index">The sample, 0 to <see cref="Count"/> − 1.</param>
    /// <param name="dst">Receives the sample on the loader's scale (0..255 for images); exactly <see cref="SampleShape"/>.</param>
    public abstract void Load(int index, Image<float> dst);

    /// <summary>True when <see cref="LoadBytes"/> gives the sample as 8-bit values (files); the batch builder then
    /// takes the fused byte path when the augmenter allows it.</summary>
    internal virtual bool ProvidesBytes => false;

    /// <summary>Sample <paramref name="index"/> as bytes, <see cref="SampleShape"/> (only when <see cref="ProvidesBytes"/>).</summary>
    internal virtual Image<byte> LoadBytes(int index) => throw new NotSupportedException($"{GetType().Name} holds no 8-bit samples.");

    /// <summary>The file behind sample <paramref name="index"/>, or null for in-memory data.</summary>
    /// <param name="index">The sample, 0 to <see cref="Count"/> − 1.</param>
    public virtual string? FilePath(int index) => null;

    /// <summary>Labels, extra inputs and sample weights, by sample position.</summary>
    public LabelSet Labels { get; protected init; } = LabelSet.None;

    /// <summary>True when <paramref name="fullPath"/> is one of this source's input files (save_to_dir never overwrites one).</summary>
    /// <param name="fullPath">An absolute, normalised path.</param>
    public virtual bool IsInputFile(string fullPath) => false;
}
