using System.CommandLine;
using System.Globalization;
using Mirage.Codecs;
using Mirage.Imaging;
using Mirage.Kernels.Photometric;

namespace Mirage.Cli.Commands;

/// <summary>`mirage clahe IN OUT`: scikit-image's equalize_adapthist on one image.</summary>
public static class ClaheCommand
{
    /// <summary>`mirage clahe IN OUT`: contrast-limited adaptive histogram equalisation of one image, as scikit-image's equalize_adapthist.</summary>
    public static Command Create()
    {
        var input = new Argument<FileInfo>("IN")
        {
            Description = "An image file (read as 8 bits, like scikit-image on uint8), or a .npy array H×W or H×W×3/4: uint8, or float in [0, --value-range].",
        };
        var output = new Argument<FileInfo>("OUT")
        {
            Description = ".npy gets scikit-image's float result as float32 (H×W for one channel, H×W×3 for colour; values in [0, 1], or [0, --value-range] for float input); .png/.jpg/.webp get 8 bits.",
        };
        var clipLimit = new Option<double>("--clip-limit") { Description = "Clipping limit normalised to [0, 1]; 0 = no clipping.", DefaultValueFactory = _ => 0.01 };
        var kernelSize = new Option<string?>("--kernel-size") { Description = "Tile size in pixels: N, or HxW (e.g. 64x48); default 1/8 of each side." };
        var nbins = new Option<int>("--nbins") { Description = "Histogram bins.", DefaultValueFactory = _ => 256 };
        var valueRange = new Option<float>("--value-range") { Description = "For float .npy input: the value of full white (1 for [0, 1], 255 for Keras-style 0..255).", DefaultValueFactory = _ => 1f };
        var colorMode = new Option<ColorMode>("--color-mode") { Description = "How an image file is read: grayscale | rgb | rgba (alpha is kept as it is).", DefaultValueFactory = _ => ColorMode.Rgb };
        var command = new Command("clahe", "Contrast Limited Adaptive Histogram Equalization, equal to scikit-image's exposure.equalize_adapthist.")
        {
            input, output, clipLimit, kernelSize, nbins, valueRange, colorMode,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var (kh, kw) = ParseKernelSize(parse.GetValue(kernelSize));
            var p = new ClaheParameters { ClipLimit = parse.GetValue(clipLimit), KernelHeight = kh, KernelWidth = kw, NBins = parse.GetValue(nbins) }
                .Validate("mirage clahe");
            Run(parse.GetValue(input)!.FullName, parse.GetValue(output)!.FullName, p, parse.GetValue(valueRange), parse.GetValue(colorMode));
        }));
        return command;
    }

    /// <summary>Equalises the image at <paramref name="inPath"/> and writes it to <paramref name="outPath"/> (an 8-bit image, or the float32 array for .npy).</summary>
    public static void Run(string inPath, string outPath, in ClaheParameters p, float valueRange, ColorMode colorMode)
    {
        if (!File.Exists(inPath)) throw new FileNotFoundException($"Input '{inPath}' does not exist.", inPath);
        bool npyIn = Path.GetExtension(inPath).Equals(".npy", StringComparison.OrdinalIgnoreCase);
        Image<float> result;
        float outRange = 1f;
        if (npyIn)
        {
            var array = NpyFile.Read(inPath);
            var shape = ShapeOf(array.Shape, inPath);
            result = new Image<float>(shape);
            if (array.Floats is { } floats)
            {
                Clahe.Apply(floats, shape, result.Span, p, valueRange);
                outRange = valueRange;
            }
            else Clahe.Apply(array.Bytes!, shape, result.Span, p);
        }
        else
        {
            using var bytes = ImageDecoder.Decode(inPath, colorMode);
            result = new Image<float>(bytes.Info);
            Clahe.Apply(bytes, result, p);
        }
        using (result)
        {
            if (Path.GetExtension(outPath).Equals(".npy", StringComparison.OrdinalIgnoreCase))
            {
                // scikit-image returns H×W for a gray image.
                if (result.Channels == 1) NpyFile.Write(outPath, result.Span, [result.Height, result.Width]);
                else NpyFile.Write(outPath, result);
                return;
            }
            if (outRange != 255f) PointOps.Scale(result.Span, result.Span, 255f / outRange);
            using var eight = ImageConvert.ToByte(result);
            ImageEncoder.Save(eight, outPath);
        }
    }

    private static ImageInfo ShapeOf(int[] shape, string path) => shape switch
    {
        [var h, var w] => ImageInfo.Create(h, w, 1),
        [var h, var w, var c] when c is 1 or 3 or 4 => ImageInfo.Create(h, w, c),
        _ => throw new MirageException($"{path}: CLAHE takes an H×W (gray) or H×W×3/4 (colour) array; this one is {string.Join("×", shape)}."),
    };

    /// <summary>"N" (both sides) or "HxW"; null = scikit-image's default of 1/8 of each side.</summary>
    public static (int Height, int Width) ParseKernelSize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return (0, 0);
        var parts = value.Split('x', 'X', ',');
        var ci = CultureInfo.InvariantCulture;
        if (parts.Length == 1 && int.TryParse(parts[0], NumberStyles.None, ci, out int k) && k >= 1) return (k, k);
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, ci, out int h) && int.TryParse(parts[1], NumberStyles.None, ci, out int w) && h >= 1 && w >= 1)
            return (h, w);
        throw new ArgumentException($"--kernel-size: expected N or HxW in whole pixels ≥ 1 (e.g. 64 or 64x48); got '{value}'.");
    }
}
