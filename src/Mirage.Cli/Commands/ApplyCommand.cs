using System.CommandLine;
using Mirage.Codecs;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Transforms;

namespace Mirage.Cli.Commands;

/// <summary>`mirage apply IN OUT --params PARAMS.json`: explicit parameters on one image.</summary>
public static class ApplyCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("IN") { Description = "An image file, or a .npy array (H×W or H×W×C; uint8 or float) used as it is." };
        var output = new Argument<FileInfo>("OUT") { Description = ".npy gets the exact float32 H×W×C result; .png/.jpg/.webp get 8 bits (rounded, clipped)." };
        var parameters = new Option<string>("--params")
        {
            Description = "Transform parameters: a JSON file (or inline JSON) with Keras's names: theta, tx, ty, shear, zx, zy, flip_horizontal, flip_vertical, channel_shift_intensity, brightness.",
            Required = true,
        };
        var fillMode = new Option<FillMode>("--fill-mode") { Description = "nearest | constant | reflect | wrap.", DefaultValueFactory = _ => FillMode.Nearest };
        var cval = new Option<float>("--cval") { Description = "Fill value for --fill-mode constant." };
        var order = new Option<int>("--order") { Description = "Interpolation order: 0 nearest, 1 bilinear.", DefaultValueFactory = _ => 1 };
        var kerasCompatible = new Option<bool>("--keras-compatible") { Description = "Reproduce keras-preprocessing 1.1.x exactly (centre n/2 + 0.5, scipy's legacy wrap)." };
        var colorMode = new Option<ColorMode>("--color-mode") { Description = "How an image file is read: grayscale | rgb | rgba.", DefaultValueFactory = _ => ColorMode.Rgb };
        var maxPixels = MaxPixelsOption.Create();
        var command = new Command("apply", "Apply explicit transform parameters (Keras's get_random_transform dictionary) to one image.")
        {
            input, output, parameters, fillMode, cval, order, kerasCompatible, colorMode, maxPixels,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            int interpolationOrder = parse.GetValue(order);
            if (interpolationOrder is not (0 or 1))
                throw new ArgumentException($"--order: interpolation order must be 0 (nearest) or 1 (bilinear), got {interpolationOrder}.");
            var warp = new WarpOptions((Interpolation)interpolationOrder, parse.GetValue(fillMode), parse.GetValue(cval), parse.GetValue(kerasCompatible));
            var p = ReadParameters(parse.GetValue(parameters)!);
            string inPath = parse.GetValue(input)!.FullName, outPath = parse.GetValue(output)!.FullName;
            Run(inPath, outPath, p, warp, parse.GetValue(colorMode), MaxPixelsOption.Read(parse, maxPixels));
        }));
        return command;
    }

    public static void Run(string inPath, string outPath, in TransformParameters p, in WarpOptions warp, ColorMode colorMode,
        long maxPixels = ImageDecoder.DefaultMaxPixels)
    {
        using var source = Load(inPath, colorMode, maxPixels);
        using var result = new Image<float>(source.Info);
        KerasTransform.Apply(source, result, p, warp);
        if (Path.GetExtension(outPath).Equals(".npy", StringComparison.OrdinalIgnoreCase))
            NpyFile.Write(outPath, result);
        else
        {
            using var bytes = ImageConvert.ToByte(result);
            ImageEncoder.Save(bytes, outPath);
        }
    }

    private static Image<float> Load(string path, ColorMode colorMode, long maxPixels)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Input '{path}' does not exist.", path);
        if (Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase)) return NpyFile.ReadImageFloat(path);
        using var decoded = ImageDecoder.Decode(path, colorMode, applyOrientation: false, maxPixels);
        return ImageConvert.ToFloat(decoded);
    }

    /// <summary>A path to a JSON file, or the JSON itself when it starts with '{' (or '[', to get a clear error).</summary>
    public static TransformParameters ReadParameters(string value)
    {
        if (value.TrimStart() is ['{' or '[', ..]) return TransformParameters.FromJson(value, "--params");
        if (!File.Exists(value)) throw new FileNotFoundException($"--params: the file '{value}' does not exist (pass a JSON file or inline JSON).", value);
        return TransformParameters.FromJson(File.ReadAllText(value), value);
    }
}
