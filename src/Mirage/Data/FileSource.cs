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

    public long MaxPixels { get; init; } = CheckMaxPixels(MaxPixels);
    public (int Height, int Width) TargetSize { get; init; } = CheckTargetSize(TargetSize, MaxPixels);

    /// <summary>Refuses a pixel limit below 1 (the option names are the API's and the CLI's).</summary>
    public static long CheckMaxPixels(long maxPixels) => maxPixels >= 1 ? maxPixels
        : throw new ArgumentException($"MaxPixels (--max-pixels) must be at least 1; got {maxPixels}.");

    /// <summary>
    /// Refuses a target size that is not positive or whose pixels exceed <paramref name="maxPixels"/> (the same limit
    /// as decoded files): found up front, not as an overflow at the first resize.
    /// </summary>
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

    public static int ChannelsOf(ColorMode mode) => mode switch
    {
        ColorMode.Grayscale => 1,
        ColorMode.Rgb => 3,
        ColorMode.Rgba => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown color mode."),
    };

    public ImageInfo SampleShape => ImageInfo.Create(TargetSize.Height, TargetSize.Width, ChannelsOf(ColorMode));

    /// <summary>Decodes <paramref name="path"/> and resizes it when its size differs from the target; bad inputs throw
    /// <see cref="ImageDecodeException"/> naming the file.</summary>
    public Image<byte> LoadBytes(string path)
    {
        Image<byte> decoded;
        try
        {
            decoded = Decoder is { } custom ? custom(path, ColorMode)
                : ScaledDecode ? ImageDecoder.DecodeForTarget(path, ColorMode, TargetSize.Width, TargetSize.Height, ScaledDecodeMinRatio, MaxPixels)
                : ImageDecoder.Decode(path, ColorMode, applyOrientation: false, MaxPixels);
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
            decoded = ScaledDecode ? ImageDecoder.DecodeForTarget(data, ColorMode, name, TargetSize.Width, TargetSize.Height, ScaledDecodeMinRatio, MaxPixels)
                : ImageDecoder.Decode(data, ColorMode, name, applyOrientation: false, MaxPixels);
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
    public string? Directory { get; }
    /// <summary>Class names in index order.</summary>
    public IReadOnlyList<string> ClassNames { get; }
    /// <summary>Keras's class_indices: class name → index.</summary>
    public IReadOnlyDictionary<string, int> ClassIndices { get; }
    /// <summary>Keras's classes: the class index of each sample (empty for tables without a single class per sample).</summary>
    public IReadOnlyList<int> Classes { get; }
    public ImageLoadOptions LoadOptions { get; }

    public override int Count => _filenames.Count;
    public override ImageInfo SampleShape => LoadOptions.SampleShape;
    public override string FilePath(int index) => Directory is null ? _filenames[index] : Path.Combine(Directory, _filenames[index]);
    public override void Load(int index, Image<float> dst) => LoadOptions.Load(FilePath(index), dst);
    internal override bool ProvidesBytes => true;
    internal override Image<byte> LoadBytes(int index) => LoadOptions.LoadBytes(FilePath(index));

    /// <summary>Built on first use (only save_to_dir asks), so a source costs one string per file.</summary>
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
