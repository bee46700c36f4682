using System.CommandLine;
using System.Text.Json;
using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Kernels.Geometric;
using Spectre.Console;

namespace Mirage.Cli.Commands;

/// <summary>
/// `mirage augment SRC OUT --config CONFIG.json --per-image N [--seed S] [--workers W] [--target-size WxH]
/// [--format png|jpeg|jpg|webp] [--jpeg-quality Q] [--prefix P] [--on-error throw|skip] [--simd auto|vector256|vector128|scalar]
/// [--jpeg-decoder auto|libjpeg-turbo|skiasharp]`: N augmented variants of every
/// image, mirroring the class folders, with a progress bar and a JSON-lines manifest of the exact parameters (replayable with `mirage apply`).
/// </summary>
public static class AugmentCommand
{
    /// <summary>`mirage augment SRC OUT`: writes N augmented variants of every image, class folders mirrored, with a replayable manifest; output goes to <paramref name="stdout"/>/<paramref name="stderr"/> (the console when null).</summary>
    public static Command Create(TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var src = new Argument<string>("SRC") { Description = "Folder of images (class sub-folders are mirrored)." };
        var dst = new Argument<string>("OUT") { Description = "Output folder; re-running over it only does what is missing." };
        var config = new Option<string>("--config")
        {
            Description = "ImageDataGenerator config as JSON with Keras's names, or a pipeline config {\"transforms\": [...]} (see `mirage transforms`).",
            Required = true,
        };
        var perImage = new Option<int>("--per-image") { Description = "Augmented variants per source image.", DefaultValueFactory = _ => 1 };
        var seed = new Option<ulong>("--seed") { Description = "Seed; the same seed gives the same bytes with any worker count.", DefaultValueFactory = _ => 0 };
        var workers = new Option<int>("--workers") { Description = "Worker threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var targetSize = CommandRunner.TargetSizeOption("Resize every image to WIDTHxHEIGHT first");
        var interpolation = new Option<string>("--interpolation") { Description = "Resize filter: nearest, bilinear, bicubic, lanczos, box, hamming.", DefaultValueFactory = _ => "nearest" };
        var keepAspect = new Option<bool>("--keep-aspect-ratio") { Description = "Centre-crop to the target's aspect ratio before resizing." };
        var format = new Option<string>("--format") { Description = "Output format: png, jpeg, jpg (JPEG named .jpg) or webp.", DefaultValueFactory = _ => "png" };
        var jpegQuality = new Option<int?>("--jpeg-quality") { Description = "JPEG quality 1..100 (default 95; Keras saves at Pillow's 75)." };
        var prefix = new Option<string>("--prefix") { Description = "Outputs are named {stem}_{prefix}_{variant}.{format}.", DefaultValueFactory = _ => "aug" };
        var colorMode = new Option<string>("--color-mode") { Description = "grayscale, rgb or rgba.", DefaultValueFactory = _ => "rgb" };
        var onError = new Option<string>("--on-error") { Description = "Unreadable files: throw (stop, naming the file) or skip (report at the end).", DefaultValueFactory = _ => "throw" };
        var followLinks = new Option<bool>("--follow-links") { Description = "Descend into symbolic links to folders." };
        var overwrite = new Option<bool>("--overwrite") { Description = "OUT holds a run with other settings: delete its outputs (those its manifest lists) and start again." };
        var maxPixels = MaxPixelsOption.Create();
        var runtime = new ConfigurationOptions();

        var command = new Command("augment", "Write N augmented variants of every image in a folder tree, with a replayable manifest.")
        {
            src, dst, config, perImage, seed, workers, targetSize, interpolation, keepAspect, format, jpegQuality, prefix, colorMode, onError, followLinks,
            overwrite, maxPixels,
        };
        runtime.AddTo(command);
        command.SetAction(parse =>
        {
            var output = stdout ?? Console.Out;
            var errors = stderr ?? Console.Error;
            using var interrupt = new Interrupt();
            return CommandRunner.Run(errors, () =>
            {
                var configPath = parse.GetValue(config)!;
                var generator = LoadGenerator(configPath);
                var pipeline = generator.IsKerasPreset ? null : generator.Pipeline; // Keras's options keep Keras's manifest
                var g = generator.Options;
                var (outputFormat, extension) = CommandRunner.ParseFormat(parse.GetValue(format)!);
                var options = new AugmentOptions
                {
                    PerImage = parse.GetValue(perImage),
                    Seed = parse.GetValue(seed),
                    Workers = CommandRunner.Workers(parse.GetValue(workers)),
                    TargetSize = CommandRunner.ParseSize(parse.GetValue(targetSize), "--target-size"),
                    Interpolation = CommandRunner.ParseEnum<ResizeInterpolation>(parse.GetValue(interpolation)!, "--interpolation"),
                    KeepAspectRatio = parse.GetValue(keepAspect),
                    Format = outputFormat,
                    Extension = extension,
                    JpegQuality = CommandRunner.JpegQuality(parse.GetValue(jpegQuality), outputFormat),
                    Prefix = parse.GetValue(prefix)!,
                    ColorMode = CommandRunner.ParseEnum<ColorMode>(parse.GetValue(colorMode)!, "--color-mode"),
                    OnBadFile = CommandRunner.ParseEnum<BadFilePolicy>(parse.GetValue(onError)!, "--on-error"),
                    FollowLinks = parse.GetValue(followLinks),
                    Overwrite = parse.GetValue(overwrite),
                    MaxPixels = MaxPixelsOption.Read(parse, maxPixels),
                    Configuration = runtime.Read(parse),
                    Config = pipeline?.ToJson() ?? g.ToJson(),
                    Cancellation = interrupt.Token,
                    Log = TextWriter.Synchronized(errors),
                    // What `mirage apply SOURCE OUT --params ... --fill-mode F --cval C --order O [--keras-compatible]` needs
                    // (a pipeline's recorded params carry their warp settings themselves).
                    ManifestFields = pipeline is not null ? null : w =>
                    {
                        w.WriteString("fill_mode", g.FillMode.ToString().ToLowerInvariant());
                        w.WriteNumber("cval", g.Cval);
                        w.WriteNumber("interpolation_order", (int)g.InterpolationOrder);
                        w.WriteBoolean("keras_compatible", g.KerasCompatible);
                    },
                };
                if (options.PerImage < 1) throw new FormatException($"--per-image must be at least 1 (variants per source image); got {options.PerImage}.");
                AugmentSummary summary;
                try
                {
                    summary = CommandRunner.WithProgress("augmenting", output, progress => pipeline is not null
                        ? AugmentRunner.Run(parse.GetValue(src)!, parse.GetValue(dst)!, pipeline, options, progress)
                        : AugmentRunner.Run(parse.GetValue(src)!, parse.GetValue(dst)!, ISampleAugmenter.Of(generator), options, progress));
                }
                catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
                {
                    throw new Interrupted($"interrupted by {interrupt.Signal}; every finished output is in the manifest. " +
                        "Run the same command again to resume where it stopped.");
                }
                output.WriteLine(summary);
                output.WriteLine($"manifest: {summary.ManifestPath}");
            }, onErrorHint: true);
        });
        return command;
    }

    /// <summary>Reads the JSON file given to --config: Keras's options or a pipeline config (<see cref="ImageDataGenerator.FromJson"/>).</summary>
    internal static ImageDataGenerator LoadGenerator(string path) => ImageDataGenerator.FromJson(ReadConfig(path), path);

    /// <summary>The text of the --config file, or an error that names the option and says what to pass.</summary>
    internal static string ReadConfig(string path)
    {
        const string Expected = "a JSON file of Keras's options such as {\"rotation_range\": 40}, or a pipeline config {\"transforms\": [...]}";
        if (!File.Exists(path))
            throw new FileNotFoundException(Directory.Exists(path)
                ? $"--config: '{path}' is a folder; pass {Expected}."
                : $"--config: the file '{path}' does not exist; pass {Expected}.", path);
        return File.ReadAllText(path);
    }
}

/// <summary>Shared plumbing of the pipeline commands: error reporting, option parsing, progress bars.</summary>
internal static class CommandRunner
{
    public static int Run(TextWriter errors, Action body, bool onErrorHint = false) => CliErrors.Run(errors, body, onErrorHint);

    /// <summary>The format an output file's extension asks for; the error names the option.</summary>
    public static ImageFormat OutputFormat(string path, string option)
    {
        try { return ImageEncoder.FormatFromExtension(path); }
        catch (ArgumentException)
        {
            throw new FormatException($"{option}: cannot write a '{Path.GetExtension(path)}' file; name it .png, .jpg, .jpeg or .webp.");
        }
    }

    /// <summary>--workers: at least 1 everywhere.</summary>
    public static int Workers(int value) =>
        value >= 1 ? value : throw new FormatException($"--workers must be at least 1 (threads); got {value}.");

    /// <summary>--target-size, with the order spelled out: WIDTHxHEIGHT on the command line, (height, width) elsewhere.</summary>
    public static Option<string?> TargetSizeOption(string what, string? defaultValue = null)
    {
        var option = new Option<string?>("--target-size")
        {
            Description = $"{what}, e.g. 224x160 = 224 wide, 160 high (width first, as screen sizes are written; the manifest's " +
                          "target_size and the C# TargetSize are (height, width), as Keras's target_size).",
        };
        if (defaultValue is not null) option.DefaultValueFactory = _ => defaultValue;
        return option;
    }

    /// <summary>"WxH" → (height, width).</summary>
    public static (int Height, int Width)? ParseSize(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], out int w) && int.TryParse(parts[1], out int h) && w > 0 && h > 0)
            return (h, w);
        throw new FormatException($"{option} expects WIDTHxHEIGHT with positive whole numbers, such as 224x224; got '{text}'.");
    }

    public static T ParseEnum<T>(string text, string option) where T : struct, Enum =>
        Enum.TryParse<T>(text.Replace("_", ""), ignoreCase: true, out var v) && Enum.IsDefined(v)
            ? v
            : throw new FormatException($"{option} expects one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}; got '{text}'.");

    /// <summary>--format: the encoder and the outputs' extension (jpg stays .jpg: Keras names files .{save_format}).</summary>
    public static (ImageFormat Format, string Extension) ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "png" => (ImageFormat.Png, "png"),
        "jpeg" => (ImageFormat.Jpeg, "jpeg"),
        "jpg" => (ImageFormat.Jpeg, "jpg"),
        "webp" => (ImageFormat.Webp, "webp"),
        _ => throw new FormatException($"--format expects png, jpeg, jpg or webp; got '{text}'."),
    };

    /// <summary>--jpeg-quality, for JPEG output only (AugmentRunner checks the range); unset: <see cref="ImageEncoder.DefaultQuality"/>.</summary>
    public static int JpegQuality(int? value, ImageFormat format) =>
        value is null ? ImageEncoder.DefaultQuality
        : format == ImageFormat.Jpeg ? value.Value
        : throw new FormatException("--jpeg-quality applies to JPEG output only; add --format jpeg (or jpg), or leave --jpeg-quality out.");

    /// <summary>Runs <paramref name="work"/> with a progress bar on a terminal, silently otherwise.</summary>
    public static T WithProgress<T>(string label, TextWriter output, Func<Action<int, int>, T> work)
    {
        if (output != Console.Out || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return work((_, _) => { });
        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(label, maxValue: 1);
                result = work((done, total) =>
                {
                    lock (task)
                    {
                        task.MaxValue = Math.Max(1, total);
                        task.Value = Math.Max(task.Value, done);
                    }
                });
                task.Value = task.MaxValue;
            });
        return result;
    }
}
