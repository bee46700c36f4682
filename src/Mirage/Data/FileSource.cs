using Mirage.Codecs;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;

namespace Mirage.Data;

/// <summary>How files become samples: decode in a colour mode, then resize to the target size (Keras's load_img).
/// With <see cref="ScaledDecode"/>, a JPEG at least 2× the target on both axes is decoded at a reduced DCT scale
/// (1/2 … 1/8, still covering the target) before the resize: several times faster for camera-size photos, but the
/// DCT scale low-passes first, so the pixels differ from Keras's full decode + resize. <see cref="FineScaledDecode"/> (opt-in)
/// lowers that threshold to 1×, so libjpeg-turbo's M/8 scales (e.g. 5/8: 512×384 → 320×240 for 224×224) apply too.
/// Files whose header claims more than <see cref="MaxPixels"/> pixels are refused before decoding (decompression bombs).</summary>
/// <param name="TargetSize">(height, width) every sample is resized to (Keras's target_size); both ≥ 1 and their
/// product ≤ <paramref name="MaxPixels"/>.</param>
/// <param name="ColorMode">Keras's color_mode: 1, 3 or 4 channels.</param>
/// <param name="Interpolation">Pillow's resampling filter for the resize (Keras's interpolation; default nearest).</param>
/// <param name="KeepAspectRatio">Crop the largest centred region of the target's aspect ratio before resizing
/// (Keras's keep_aspect_ratio).</param>
/// <param name="Decoder">Reads a file into an 8-bit image in the colour mode, or null for <see cref="ImageDecoder"/>; a
/// custom decoder must be thread-safe and return an image of the mode's channel count, which the loader disposes.</param>
/// <param name="ScaledDecode">Decode large JPEGs at a reduced DCT scale before resizing (faster; pixels differ from
/// Keras's).</param>
/// <param name="FineScaledDecode">Also use libjpeg-turbo's M/8 scales for JPEGs less than 2× the target.</param>
/// <param name="MaxPixels">Decompression-bomb limit; at least 1.</param>
/// <remarks>Immutable and thread-safe: the loaders call it from every worker.</remarks>
public sealed record ImageLoadOptions(
    (int Height, int Width) TargetSize,
    ColorMode ColorMode = ColorMode.Rgb,
    ResizeInterpolation Interpolation = ResizeInterpolation.Nearest,
    bool KeepAspectRatio = false,
    Func<string, ColorMode, Image<byte>>? Decoder = null,
    bool ScaledDecode = false,
    bool FineScaledDecode = false,
    long MaxPixels = ImageDecoder.DefaultMaxPixels)
{
    /// <summary>How many times the target a JPEG must be on both axes for <see cref="ScaledDecode"/> to shrink it.</summary>
    private int ScaledDecodeMinRatio => FineScaledDecode ? 1 : 2;

    /// <summary>Which JPEG decoders run (<see cref="MirageConfiguration.JpegDecoder"/>,
    /// <see cref="MirageConfiguration.EighthScaleJpegDecoder"/>); default <see cref="MirageConfiguration.Default"/>. A flow
    /// sets it from its own configuration.</summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public MirageConfiguration Configuration
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Configuration));
    } = MirageConfiguration.Default;

    /// <summary>Files whose header claims more pixels are refused before decoding; ≥ 1 (checked when set).</summary>
    /// <exception cref="ArgumentException">Set below 1.</exception>
    public long MaxPixels { get; init; } = CheckMaxPixels(MaxPixels);
    /// <summary>(height, width) in pixels every sample is resized to; checked against <see cref="MaxPixels"/> when
    /// constructed.</summary>
    /// <exception cref="ArgumentException">A side below 1, or more pixels than MaxPixels.</exception>
    public (int Height, int Width) TargetSize { get; init; } = CheckTargetSize(TargetSize, MaxPixels);

    /// <summary>Refuses a pixel limit below 1 (the option names are the API's and the CLI's).</summary>
    /// <param name="maxPixels">The limit to check.</param>
    /// <returns><paramref name="maxPixels"/>, unchanged.</returns>
    /// <exception cref="ArgumentException"><paramref name="maxPixels"/> is less than 1.</exception>
    public static long CheckMaxPixels(long maxPixels) => maxPixels >= 1 ? maxPixels
        : throw new ArgumentException($"MaxPixels (--max-pixels) must be at least 1; got {maxPixels}.");

    /// <summary>
    /// Refuses a target size that is not positive or whose pixels exceed <paramref name="maxPixels"/> (the same limit
    /// as decoded files): found up front, not as an overflow at the first resize.
    /// </summary>
    /// <param name="size">(height, width) in pixels.</param>
    /// <param name="maxPixels">The pixel limit the size must not exceed.</param>
    /// <returns><paramref name="size"/>, unchanged.</returns>
    /// <exception cref="ArgumentException">A side is below 1 or height × width exceeds <paramref name="maxPixels"/>.</exception>
    public static (int Height, int Width) CheckTargetSize((int Height, int Width) size, long maxPixels = ImageDecoder.DefaultMaxPixels)
    {
        var (h, w) = size;
        if (h < 1 || w < 1)
            throw new ArgumentException($"TargetSize (--target-size) must be at least 1x1; got height {h}, width {w}.");
        if ((long)h * w > maxPixels)
            throw new ArgumentException(
                $"TargetSize (--target-size) of {w}x{h} (width x height) is {(long)h * w:N0} pixels, over the limit of " +
                $"{maxPixels:N0}; choose a smaller size (or raise MaxPixels / --max-pixels if you really need it).");
        return size;
    }

    /// <summary>Channels a colour mode decodes to: Grayscale 1, Rgb 3, Rgba 4.</summary>
    /// <param name="mode">The colour mode.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    public static int ChannelsOf(ColorMode mode) => mode switch
    {
        ColorMode.Grayscale => 1,
        ColorMode.Rgb => 3,
        ColorMode.Rgba => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown color mode."),
    };

    /// <summary>(target height, target width, channels of the colour mode): the shape of every loaded sample.</summary>
    public ImageInfo SampleShape => ImageInfo.Create(TargetSize.Height, TargetSize.Width, ChannelsOf(ColorMode));

    /// <summary>Decodes <paramref name="path"/> and resizes it when its size differs from the target; bad inputs throw
    /// <see cref="ImageDecodeException"/> naming the file.</summary>
    /// <param name="path">The image file.</param>
    /// <returns>A new image of <see cref="SampleShape"/>; the caller owns and disposes it.</returns>
    /// <exception cref="ImageDecodeException">The file is missing, unreadable, corrupt, over MaxPixels, or decodes to the
    /// wrong channel count.</exception>
    public Image<byte> LoadBytes(string path)
    {
        Image<byte> decoded;
        try
        {
            decoded = Decoder is { } custom ? custom(path, ColorMode)
                : ScaledDecode ? ImageDecoder.DecodeForTarget(path, ColorMode, TargetSize.Width, TargetSize.Height, ScaledDecodeMinRatio, MaxPixels, Configuration)
                : ImageDecoder.Decode(path, ColorMode, applyOrientation: false, MaxPixels, Configuration);
        }
        catch (Exception e) when (BadFiles.IsBadInput(e))
        {
            throw BadFiles.Describe(e, path);
        }
        return ToTarget(decoded, path);
    }

    /// <summary>
    /// <see cref="LoadBytes(string)"/> from the file's bytes already in memory (the built-in decoders; a custom
    /// <see cref="Decoder"/> reads files itself). `mirage bench --breakdown` times decoding apart from reading this way.
    /// </summary>
    internal Image<byte> LoadBytes(ReadOnlySpan<byte> data, string name)
    {
        if (Decoder is not null) throw new InvalidOperationException("A custom decoder reads its files itself.");
        Image<byte> decoded;
        try
        {
            decoded = ScaledDecode ? ImageDecoder.DecodeForTarget(data, ColorMode, name, TargetSize.Width, TargetSize.Height, ScaledDecodeMinRatio, MaxPixels, Configuration)
                : ImageDecoder.Decode(data, ColorMode, name, applyOrientation: false, MaxPixels, Configuration);
        }
        catch (Exception e) when (BadFiles.IsBadInput(e))
        {
            throw BadFiles.Describe(e, name);
        }
        return ToTarget(decoded, name);
    }

    /// <summary>With <see cref="KeepAspectRatio"/> the centred crop of a decoded W′×H′ image covers the target exactly
    /// when W′ ≥ target width and H′ ≥ target height, so the scaled decode's minimum is the target either way.</summary>
    private Image<byte> ToTarget(Image<byte> decoded, string path)
    {
        if (decoded.Channels != ChannelsOf(ColorMode))
        {
            decoded.Dispose();
            throw new ImageDecodeException(path, $"decoded to {decoded.Channels} channels, expected {ChannelsOf(ColorMode)} for {ColorMode}");
        }
        if (decoded.Height == TargetSize.Height && decoded.Width == TargetSize.Width) return decoded;
        using (decoded) return Resize.To(decoded, TargetSize.Height, TargetSize.Width, Interpolation, KeepAspectRatio);
    }

    /// <summary>Loads <paramref name="path"/> into <paramref name="dst"/> as floats 0..255.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="dst">Receives the sample; at least <see cref="SampleShape"/>.Length values.</param>
    /// <exception cref="ImageDecodeException">The file cannot be read as an image.</exception>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is too small.</exception>
    public void Load(string path, Image<float> dst)
    {
        using var bytes = LoadBytes(path);
        ImageConvert.ToFloat(bytes.Span, dst.Span);
    }
}

/// <summary>Samples read from files (class folders or a table): paths, labels and the class vocabulary.</summary>
public sealed class FileSource : DataSource
{
    private readonly IReadOnlyList<string> _filenames;
    private HashSet<string>? _inputs;

    /// <summary>A source over <paramref name="filenames"/>; nothing is read until a sample is loaded.</summary>
    /// <param name="filenames">Paths, relative to <paramref name="root"/> when it is given; kept, not copied.</param>
    /// <param name="root">The folder the names are relative to, or null when they are used as they are.</param>
    /// <param name="load">How each file becomes a sample.</param>
    /// <param name="labels">Labels by position in <paramref name="filenames"/>.</param>
    /// <param name="classNames">Class names in index order, or null for none.</param>
    /// <param name="classes">Each sample's class index, or null (multi-label tables, no classes).</param>
    public FileSource(IReadOnlyList<string> filenames, string? root, ImageLoadOptions load, LabelSet labels,
                      IReadOnlyList<string>? classNames = null, IReadOnlyList<int>? classes = null)
    {
        _filenames = filenames;
        Directory = root;
        LoadOptions = load;
        Labels = labels;
        ClassNames = classNames ?? [];
        ClassIndices = ClassNames.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        Classes = classes ?? [];
    }

    /// <summary>File names as Keras lists them (relative to the directory: "class/sub/file.jpg").</summary>
    public IReadOnlyList<string> Filenames => _filenames;
    /// <summary>Full paths (directory joined with each file name), computed on demand: file names are stored once.</summary>
    public IReadOnlyList<string> Filepaths => new PathList(this);
    /// <summary>The folder the file names are relative to (Keras's directory), or null.</summary>
    public string? Directory { get; }
    /// <summary>Class names in index order.</summary>
    public IReadOnlyList<string> ClassNames { get; }
    /// <summary>Keras's class_indices: class name → index.</summary>
    public IReadOnlyDictionary<string, int> ClassIndices { get; }
    /// <summary>Keras's classes: the class index of each sample (empty for tables without a single class per sample).</summary>
    public IReadOnlyList<int> Classes { get; }
    /// <summary>How files are decoded and resized.</summary>
    public ImageLoadOptions LoadOptions { get; }

    /// <summary>The number of files.</summary>
    public override int Count => _filenames.Count;
    /// <summary>(target height, target width, channels of the colour mode).</summary>
    public override ImageInfo SampleShape => LoadOptions.SampleShape;
    /// <summary>The directory joined with file name <paramref name="index"/> (not made absolute).</summary>
    /// <param name="index">The sample, 0 to <see cref="Count"/> − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public override string FilePath(int index) => Directory is null ? _filenames[index] : Path.Combine(Directory, _filenames[index]);
    /// <summary>Decodes and resizes file <paramref name="index"/> into <paramref name="dst"/> as floats 0..255.</summary>
    /// <param name="index">The sample, 0 to <see cref="Count"/> − 1.</param>
    /// <param name="dst">Receives the sample; <see cref="SampleShape"/>.</param>
    /// <exception cref="ImageDecodeException">The file cannot be read as an image.</exception>
    public override void Load(int index, Image<float> dst) => LoadOptions.Load(FilePath(index), dst);
    internal override bool ProvidesBytes => true;
    internal override Image<byte> LoadBytes(int index) => LoadOptions.LoadBytes(FilePath(index));

    /// <summary>Built on first use (only save_to_dir asks), so a source costs one string per file.</summary>
    /// <param name="fullPath">An absolute, normalised path; compared ordinally with each file's full path.</param>
    /// <returns>True when it is one of this source's files.</returns>
    public override bool IsInputFile(string fullPath)
    {
        var inputs = LazyInitializer.EnsureInitialized(ref _inputs,
            () => new HashSet<string>(Enumerable.Range(0, Count).Select(i => Path.GetFullPath(FilePath(i))), StringComparer.Ordinal));
        return inputs.Contains(fullPath);
    }

    private sealed class PathList(FileSource source) : IReadOnlyList<string>
    {
        public string this[int index] => source.FilePath(index);
        public int Count => source.Count;
        public IEnumerator<string> GetEnumerator()
        {
            for (int i = 0; i < Count; i++) yield return this[i];
        }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
