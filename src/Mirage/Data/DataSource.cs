using Mirage.Imaging;

namespace Mirage.Data;

/// <summary>
/// A dataset of <see cref="Count"/> samples of one shape that loads any sample by its position, on any thread.
/// Sources hold file names and labels, never decoded images: memory does not grow with the images' total size.
/// </summary>
public abstract class DataSource
{
    public abstract int Count { get; }

    /// <summary>Height × width × channels of every loaded sample.</summary>
    public abstract ImageInfo SampleShape { get; }

    /// <summary>Loads sample <paramref name="index"/> into <paramref name="dst"/> (HWC, <see cref="SampleShape"/>).
    /// A bad input throws <see cref="Codecs.ImageDecodeException"/> naming the file.</summary>
    public abstract void Load(int index, Image<float> dst);

    /// <summary>The file behind sample <paramref name="index"/>, or null for in-memory data.</summary>
    public virtual string? FilePath(int index) => null;

    /// <summary>Labels, extra inputs and sample weights, by sample position.</summary>
    public LabelSet Labels { get; protected init; } = LabelSet.None;

    /// <summary>True when <paramref name="fullPath"/> is one of this source's input files (save_to_dir never overwrites one).</summary>
    public virtual bool IsInputFile(string fullPath) => false;
}
