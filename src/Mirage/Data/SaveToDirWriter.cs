using Mirage.Codecs;
using Mirage.Imaging;

namespace Mirage.Data;

/// <summary>Keras's save_to_dir: {prefix}_{index}_{hash}.{format}, scaled as array_to_img(scale=True), written atomically.</summary>
internal sealed class SaveToDirWriter
{
    private readonly string _dir;
    private readonly string _prefix;
    private readonly ImageFormat _format;
    private readonly Func<string, bool> _isInput;
    private readonly int _quality;

    public SaveToDirWriter(string dir, string prefix, ImageFormat format, Func<string, bool> isInput, int jpegQuality = ImageEncoder.DefaultQuality)
    {
        if (jpegQuality is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(jpegQuality), jpegQuality,
                $"FlowOptions.SaveJpegQuality must be between 1 and 100 (Keras saves at Pillow's default, 75); got {jpegQuality}.");
        Directory.CreateDirectory(dir);
        _dir = Path.GetFullPath(dir);
        _prefix = prefix;
        _format = format;
        _isInput = isInput;
        _quality = format == ImageFormat.Jpeg ? jpegQuality : ImageEncoder.DefaultQuality; // the JPEG option only
    }

    public static string Extension(ImageFormat format) => format switch
    {
        ImageFormat.Png => "png",
        ImageFormat.Jpeg => "jpeg",
        ImageFormat.Webp => "webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format."),
    };

    public string Save(Image<float> x, int index, int hash)
    {
        string path;
        do
        {
            path = Path.Combine(_dir, $"{_prefix}_{index}_{hash}.{Extension(_format)}");
            hash = (hash + 1) % 10_000_000;
        } while (_isInput(path)); // never overwrite an input file
        using var image = ToViewable(x);
        ImageEncoder.Save(image, path, _format, _quality); // atomic: AtomicFile's temp file, then a rename over the target
        return path;
    }

    /// <summary>Keras's array_to_img(scale=True): shift the minimum to 0, divide by the maximum, × 255, truncate.</summary>
    public static Image<byte> ToViewable(Image<float> x)
    {
        var s = x.Span;
        float min = float.PositiveInfinity, max;
        foreach (var v in s) min = Math.Min(min, v);
        float shift = Math.Max(-min, 0f);
        max = float.NegativeInfinity;
        foreach (var v in s) max = Math.Max(max, v + shift);
        var image = new Image<byte>(x.Info);
        var d = image.Span;
        for (int i = 0; i < s.Length; i++)
        {
            float v = s[i] + shift;
            if (max != 0) v /= max;
            v *= 255f;
            d[i] = v <= 0 || float.IsNaN(v) ? (byte)0 : v >= 255 ? (byte)255 : (byte)v;
        }
        return image;
    }
}
