using Mirage.Codecs;
using Mirage.Generation;
using Mirage.Kernels.Geometric;

namespace Mirage.Data;

/// <summary>Keras's subset argument: which side of the validation split to iterate.</summary>
public enum Subset
{
    /// <summary>Keras <c>"training"</c>: the samples outside the validation split.</summary>
    Training,
    /// <summary>Keras <c>"validation"</c>: the int(n · split) samples held out.</summary>
    Validation,
}

/// <summary>How the validation split picks its samples.</summary>
public enum SplitMode
{
    /// <summary>Keras: the first int(n · split) samples (per class for folders) are validation, the rest training.</summary>
    Head,
    /// <summary>A seeded random pick of int(n · split) samples (per class for folders); order within each side kept.</summary>
    Shuffled,
}

/// <summary>Keras's class_mode: what labels come with each batch.</summary>
public enum ClassMode
{
    /// <summary>One-hot (multi-hot for multi-label tables) float vectors.</summary>
    Categorical,
    /// <summary>0/1 floats; exactly two classes.</summary>
    Binary,
    /// <summary>Class index as a float.</summary>
    Sparse,
    /// <summary>The target is the input image itself (autoencoders): use the batch's X.</summary>
    Input,
    /// <summary>No labels.</summary>
    None,
    /// <summary>Tables: the y column(s) as numbers.</summary>
    Raw,
    /// <summary>Tables: one numeric output per y column.</summary>
    MultiOutput,
}

/// <summary>Options every flow shares: batching, shuffling, seeding, workers, validation subset, bad files, save_to_dir.</summary>
/// <remarks>Immutable (init-only); the iterator checks the values when it is built. C# names here; Keras's snake_case
/// names are given per property.</remarks>
public record FlowOptions
{
    /// <summary>Keras's batch_size: samples per batch, ≥ 1; default 32. The last batch of an epoch may hold fewer.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Keras's shuffle: a new order every epoch, drawn from (seed, epoch); default true.</summary>
    public bool Shuffle { get; init; } = true;
    /// <summary>Seeds both the per-epoch shuffle and every sample's augmentation; null draws one (see the iterator's Seed).</summary>
    public ulong? Seed { get; init; }
    /// <summary>Worker threads building batches ahead; 0 builds each batch on the thread that asks for it.</summary>
    public int Workers { get; init; }
    /// <summary>Batches built ahead of the consumers (with workers); memory is bounded by batch size × this.</summary>
    public int Prefetch { get; init; } = 2;
    /// <summary>Epochs to iterate; null iterates forever as Keras does (reshuffling each epoch).</summary>
    public int? Epochs { get; init; }
    /// <summary>Batch layout; null takes the generator's data_format (channels-last without a generator).</summary>
    public DataFormat? DataFormat { get; init; }
    /// <summary>Keras's subset: iterate only the training or the validation side of the split; null (default) iterates
    /// everything. Needs a validation split (the generator's or <see cref="ValidationSplit"/>).</summary>
    public Subset? Subset { get; init; }
    /// <summary>Overrides the generator's validation_split (needed when there is no generator).</summary>
    public double? ValidationSplit { get; init; }
    /// <summary>How the split picks validation samples: Keras's head (the default) or a seeded shuffle.</summary>
    public SplitMode SplitMode { get; init; } = SplitMode.Head;
    /// <summary>Seed of the <see cref="SplitMode.Shuffled"/> pick (keep it fixed so training and validation never overlap).</summary>
    public ulong SplitSeed { get; init; }
    /// <summary>What an unreadable file does: throw (the default, naming the file) or skip and report it.</summary>
    public BadFilePolicy OnBadFile { get; init; } = BadFilePolicy.Throw;
    /// <summary>Where skipped files and epoch reports are written (null: nowhere; they are still counted and reported).</summary>
    public TextWriter? Log { get; init; }
    /// <summary>Keras's save_to_dir: a folder (created if missing) where every augmented sample is also written as
    /// <c>{prefix}_{index}_{hash}.{format}</c>, scaled to 0..255 as array_to_img(scale=True); null (default) saves nothing.
    /// Never overwrites an input file. Turns off the fused fast path.</summary>
    public string? SaveToDir { get; init; }
    /// <summary>Keras's save_prefix: starts each saved file's name; default empty.</summary>
    public string SavePrefix { get; init; } = "";
    /// <summary>Keras's save_format for saved samples; default PNG.</summary>
    public ImageFormat SaveFormat { get; init; } = ImageFormat.Png;
    /// <summary>JPEG quality (1..100) of the images save_to_dir writes when <see cref="SaveFormat"/> is JPEG. Default
    /// <see cref="ImageEncoder.DefaultQuality"/> (95); Keras saves at Pillow's default, 75.</summary>
    public int SaveJpegQuality { get; init; } = ImageEncoder.DefaultQuality;
    /// <summary>How the flow runs (SIMD level, JPEG decoder, worker cap, warp tiling, fused path, pools); null (default)
    /// takes the generator's <see cref="ImageDataGenerator.Configuration"/> when the flow comes from one, else
    /// <see cref="MirageConfiguration.Default"/>.</summary>
    public MirageConfiguration? Configuration { get; init; }
}

/// <summary>Options of flows that read files: target_size, color_mode, interpolation, classes, class_mode.</summary>
public record FileFlowOptions : FlowOptions
{
    /// <summary>(height, width) every image is resized to; Keras's default is 256×256.</summary>
    public (int Height, int Width) TargetSize { get; init; } = (256, 256);
    /// <summary>Keras's color_mode: grayscale (1 channel), rgb (3, the default) or rgba (4).</summary>
    public ColorMode ColorMode { get; init; } = ColorMode.Rgb;
    /// <summary>Keras's interpolation: Pillow's filter for resizing to <see cref="TargetSize"/>; default nearest.</summary>
    public ResizeInterpolation Interpolation { get; init; } = ResizeInterpolation.Nearest;
    /// <summary>Crop the largest centred region of the target's aspect ratio before resizing (no distortion).</summary>
    public bool KeepAspectRatio { get; init; }
    /// <summary>Class names in index order; null discovers them (sorted).</summary>
    public IReadOnlyList<string>? Classes { get; init; }
    /// <summary>Keras's class_mode: the labels each batch carries; default categorical (one-hot).</summary>
    public ClassMode ClassMode { get; init; } = ClassMode.Categorical;
    /// <summary>
    /// Decode JPEGs at least 2× the target on both axes at a reduced DCT scale (libjpeg-turbo's 1/2 … 1/8, still
    /// covering the target), then resize. Much faster for large photos (≈ 3–6× end to end for 4000×3000 → 224×224),
    /// but the DCT scale low-passes first, so the pixels differ from Keras's full decode + resize.
    /// null (default) = on for a generator that is not KerasCompatible, off for a KerasCompatible one and for flows
    /// without a generator. Ignored with a custom <see cref="Decoder"/>.
    /// </summary>
    public bool? ScaledDecode { get; init; }
    /// <summary>
    /// Opt-in: decode at a reduced DCT scale also when the JPEG is less than 2× the target, with libjpeg-turbo's M/8
    /// scales (7/8 … 3/8, the smallest still covering the target), then resize: a 512×384 photo for 224×224 decodes at
    /// 5/8 = 320×240, about twice as fast as in full. The same trade-off as <see cref="ScaledDecode"/> (the DCT scale
    /// low-passes first, so the pixels differ from Keras's full decode + resize), now for sources up to 2× the target
    /// too. Turns <see cref="ScaledDecode"/> on when it is null; ignored when it is false.
    /// </summary>
    public bool FineScaledDecode { get; init; }
    /// <summary>
    /// Decompression-bomb guard: a file whose header claims more pixels is refused before decoding (a bad file under
    /// <see cref="FlowOptions.OnBadFile"/>). Default <see cref="ImageDecoder.DefaultMaxPixels"/> (Pillow's limit);
    /// also bounds <see cref="TargetSize"/>. Ignored by a custom <see cref="Decoder"/>.
    /// </summary>
    public long MaxPixels { get; init; } = ImageDecoder.DefaultMaxPixels;
    /// <summary>Reads a file into an 8-bit image; null uses <see cref="ImageDecoder.Decode(string, ColorMode)"/>.</summary>
    public Func<string, ColorMode, Mirage.Imaging.Image<byte>>? Decoder { get; init; }
}

/// <summary>flow_from_directory's options.</summary>
public sealed record DirectoryFlowOptions : FileFlowOptions
{
    /// <summary>Descend into symbolic links to folders (cycles are detected and skipped).</summary>
    public bool FollowLinks { get; init; }
}

/// <summary>flow_from_dataframe's options (the table is a CSV file or an in-code <see cref="Table"/>).</summary>
public sealed record TableFlowOptions : FileFlowOptions
{
    /// <summary>Folder the x column is relative to; null means the paths are used as they are.</summary>
    public string? Directory { get; init; }
    /// <summary>Keras's x_col: the column of file paths; default <c>filename</c>.</summary>
    public string XColumn { get; init; } = "filename";
    /// <summary>The label column(s); several for <see cref="ClassMode.MultiOutput"/> and multi-column <see cref="ClassMode.Raw"/>.</summary>
    public IReadOnlyList<string> YColumns { get; init; } = ["class"];
    /// <summary>Keras's weight_col: a numeric column of sample weights, or null (default) for none.</summary>
    public string? WeightColumn { get; init; }
    /// <summary>Drop rows whose file is missing or lacks an image extension (Keras's validate_filenames).</summary>
    public bool ValidateFilenames { get; init; } = true;
    /// <summary>Splits a categorical cell into several labels (multi-label), e.g. "|"; null = one label per cell.</summary>
    public string? LabelSeparator { get; init; }
}
