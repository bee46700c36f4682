using Mirage.Generation;
using System.CommandLine;
using Mirage.Codecs;
using Mirage.Data;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Transforms;
using Mirage.Transforms.Pipelines;

namespace Mirage.Cli.Commands;

/// <summary>`mirage apply IN OUT --params PARAMS.json`: explicit parameters (Keras's, or a recorded pipeline tape) on one image.</summary>
public static class ApplyCommand
{
    /// <summary>`mirage apply IN OUT --params P.json`: applies explicit Keras transform parameters, or a recorded pipeline sample, to one image.</summary>
    public static Command Create()
    {
        var input = new Argument<FileInfo>("IN") { Description = "An image file, or a .npy array (H×W or H×W×C; uint8 or float) used as it is." };
        var output = new Argument<FileInfo>("OUT") { Description = ".npy gets the exact float32 H×W×C result; .png/.jpg/.webp get 8 bits (rounded, clipped)." };
        var parameters = new Option<string>("--params")
        {
            Description = "Transform parameters: a JSON file (or inline JSON) with Keras's names (theta, tx, ty, shear, zx, zy, flip_horizontal, " +
                          "flip_vertical, channel_shift_intensity, brightness), or a pipeline's recorded parameters {\"input\": [h, w, c], " +
                          "\"transforms\": [...]} (a manifest line's params, `preview --params-out`), which carry everything else themselves.",
            Required = true,
        };
        var fillMode = new Option<string>("--fill-mode") { Description = "nearest, constant, reflect or wrap.", DefaultValueFactory = _ => "nearest" };
        var cval = new Option<float>("--cval") { Description = "Fill value for --fill-mode constant." };
        var order = new Option<int>("--order") { Description = "Interpolation order: 0 nearest, 1 bilinear.", DefaultValueFactory = _ => 1 };
        var kerasCompatible = new Option<bool>("--keras-compatible") { Description = "Reproduce keras-preprocessing 1.1.x exactly (centre n/2 + 0.5, scipy's legacy wrap)." };
        var colorMode = new Option<string?>("--color-mode")
        {
            Description = "How an image file is read: grayscale, rgb or rgba (default rgb; for recorded pipeline parameters, the channels they were drawn for).",
        };
        var targetSize = CommandRunner.TargetSizeOption("Resize the image to WIDTHxHEIGHT before the transform (what `mirage augment --target-size` did; replays its manifest lines)");
        var interpolation = new Option<string>("--interpolation") { Description = "Resize filter with --target-size: nearest, bilinear, bicubic, lanczos, box, hamming.", DefaultValueFactory = _ => "nearest" };
        var keepAspect = new Option<bool>("--keep-aspect-ratio") { Description = "With --target-size: centre-crop to the target's aspect ratio before resizing." };
        var maxPixels = MaxPixelsOption.Create();
        var command = new Command("apply", "Apply explicit transform parameters (Keras's get_random_transform dictionary, or a recorded pipeline sample) to one image.")
        {
            input, output, parameters, fillMode, cval, order, kerasCompatible, colorMode, targetSize, interpolation, keepAspect, maxPixels,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            int interpolationOrder = parse.GetValue(order);
            if (interpolationOrder is not (0 or 1))
                throw new ArgumentException($"--order: interpolation order must be 0 (nearest) or 1 (bilinear), got {interpolationOrder}.");
            float fill = parse.GetValue(cval);
            if (!float.IsFinite(fill)) throw new FormatException($"--cval must be a finite number; got {fill}.");
            var warp = new WarpOptions((Interpolation)interpolationOrder, CommandRunner.ParseEnum<FillMode>(parse.GetValue(fillMode)!, "--fill-mode"),
                fill, parse.GetValue(kerasCompatible));
            var (json, source) = ReadParametersText(parse.GetValue(parameters)!);
            var tape = PipelineConfig.IsPipelineConfig(json) ? ParameterTape.FromJson(json, source: source) : null;
            var p = tape is null ? TransformParameters.FromJson(json, source) : default;
            var mode = parse.GetValue(colorMode) is { } modeText ? CommandRunner.ParseEnum<ColorMode>(modeText, "--color-mode")
                : tape is not null ? ColorModeOf(tape.Input.Channels) : ColorMode.Rgb;
            long limit = MaxPixelsOption.Read(parse, maxPixels);
            ImageLoadOptions? resize = CommandRunner.ParseSize(parse.GetValue(targetSize), "--target-size") is { } size
                ? new ImageLoadOptions(size, mode, CommandRunner.ParseEnum<ResizeInterpolation>(parse.GetValue(interpolation)!, "--interpolation"),
                    parse.GetValue(keepAspect), MaxPixels: limit)
                : null;
            string inPath = parse.GetValue(input)!.FullName, outPath = parse.GetValue(output)!.FullName;
            if (!Path.GetExtension(outPath).Equals(".npy", StringComparison.OrdinalIgnoreCase)) CommandRunner.OutputFormat(outPath, "OUT");
            if (tape is not null) Run(inPath, outPath, tape, mode, resize, limit);
            else Run(inPath, outPath, p, warp, mode, resize, limit);
        }));
        return command;
    }

    private static ColorMode ColorModeOf(int channels) => channels switch
    {
        1 => ColorMode.Grayscale,
        4 => ColorMode.Rgba,
        _ => ColorMode.Rgb,
    };

    /// <summary>
    /// Replays a recorded pipeline sample: the image is read (and resized, as `mirage augment --target-size` did) to the
    /// tape's input shape, and the tape runs on its bytes as the recording did. OUT.npy gets the float output; an image
    /// file the 8-bit one, the same bytes `mirage augment` wrote.
    /// </summary>
    public static void Run(string inPath, string outPath, ParameterTape tape, ColorMode colorMode,
        ImageLoadOptions? resize = null, long maxPixels = ImageDecoder.DefaultMaxPixels)
    {
        RequireFile(inPath);
        if (Path.GetExtension(inPath).Equals(".npy", StringComparison.OrdinalIgnoreCase))
            throw new FormatException("IN: recorded pipeline parameters replay on an image file (they run on its 8-bit pixels), not on a .npy array.");
        using var source = Decode(inPath, colorMode, resize, maxPixels);
        if (source.Info != tape.Input)
            throw new FormatException(
                $"--params: the recorded parameters were drawn for a {tape.Input} image (height x width x channels) but '{inPath}' reads as " +
                $"{source.Info}. Pass the --target-size (WIDTHxHEIGHT), --interpolation and --color-mode the recording used (a manifest line lists them).");
        if (Path.GetExtension(outPath).Equals(".npy", StringComparison.OrdinalIgnoreCase))
        {
            using var floats = new Image<float>(tape.Output);
            TransformPipeline.Run(tape, source, floats.Span, Generation.DataFormat.ChannelsLast);
            NpyFile.Write(outPath, floats);
            return;
        }
        using var result = TransformPipeline.Run(tape, source);
        ImageEncoder.Save(result, outPath);
    }

    /// <summary>Applies Keras parameters <paramref name="p"/> to one image and saves the result (the format from the extension).</summary>
    /// <param name="inPath">The source image.</param>
    /// <param name="outPath">Where the result is written (atomically).</param>
    /// <param name="p">Keras's apply_transform dictionary, e.g. a manifest line's "params".</param>
    /// <param name="warp">Fill mode, constant value, interpolation order and Keras-compatible coordinates.</param>
    /// <param name="colorMode">The colour mode the source is decoded in.</param>
    /// <param name="resize">Decode and resize as `mirage augment --target-size` does (null: the image as it is).</param>
    /// <param name="maxPixels">The decode's pixel limit (--max-pixels).</param>
    public static void Run(string inPath, string outPath, in TransformParameters p, in WarpOptions warp, ColorMode colorMode,
        ImageLoadOptions? resize = null, long maxPixels = ImageDecoder.DefaultMaxPixels)
    {
        using var source = Load(inPath, colorMode, resize, maxPixels);
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

    private static Image<float> Load(string path, ColorMode colorMode, ImageLoadOptions? resize, long maxPixels)
    {
        RequireFile(path);
        if (Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase))
        {
            if (resize is not null) throw new FormatException("--target-size applies to image files, not to a .npy array; resize the array first.");
            return NpyFile.ReadImageFloat(path);
        }
        using var decoded = Decode(path, colorMode, resize, maxPixels);
        return ImageConvert.ToFloat(decoded);
    }

    private static void RequireFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IN: the file '{path}' does not exist; check the path.", path);
    }

    /// <summary>The image's 8-bit pixels as `mirage augment` read them: resized when <paramref name="resize"/> is set,
    /// never EXIF-rotated (Keras's load_img does not rotate).</summary>
    private static Image<byte> Decode(string path, ColorMode colorMode, ImageLoadOptions? resize, long maxPixels) =>
        resize is not null ? resize.LoadBytes(path) : ImageDecoder.Decode(path, colorMode, applyOrientation: false, maxPixels);

    /// <summary>A path to a JSON file, or the JSON itself when it starts with '{' (or '[', to get a clear error).</summary>
    public static TransformParameters ReadParameters(string value)
    {
        var (json, source) = ReadParametersText(value);
        return TransformParameters.FromJson(json, source);
    }

    /// <summary>The JSON of --params (inline, or the file's text) and the name errors should give.</summary>
    private static (string Json, string Source) ReadParametersText(string value)
    {
        if (value.TrimStart() is ['{' or '[', ..]) return (value, "--params");
        if (!File.Exists(value)) throw new FileNotFoundException($"--params: the file '{value}' does not exist (pass a JSON file or inline JSON).", value);
        return (File.ReadAllText(value), value);
    }
}
