using System.CommandLine;
using System.Globalization;
using Mirage.Cli.Experiment;
using Mirage.Codecs;
using Mirage.TorchSharp;
using Mirage.TorchSharp.Experiments;

namespace Mirage.Cli.Commands;

/// <summary>
/// `mirage experiment`: does augmentation help this data? Trains the small CNN per arm and seed on a class-balanced
/// subset and reports test macro-F1 with and without each augmentation (the reference tutorial's protocol).
/// </summary>
public static class ExperimentCommand
{
    /// <summary>`mirage experiment`: trains the small CNN per arm and seed and reports test macro-F1 against no augmentation; output goes to <paramref name="stdout"/>/<paramref name="stderr"/> (the console when null).</summary>
    public static Command Create(TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var data = new Option<string>("--data") { Description = "Fashion-MNIST IDX folder (Debian's dataset-fashion-mnist).", DefaultValueFactory = _ => Mirage.Data.FashionMnist.DefaultDirectory };
        var dir = new Option<string?>("--dir") { Description = "A class-folder tree to use instead of Fashion-MNIST (read into memory at --image-size)." };
        var testDir = new Option<string?>("--test-dir") { Description = "With --dir: a class-folder tree of test images (same class names)." };
        var testSplit = new Option<double>("--test-split") { Description = "With --dir and no --test-dir: fraction of each class held out as the test set.", DefaultValueFactory = _ => 0.2 };
        var imageSize = new Option<string>("--image-size") { Description = "With --dir: train at WxH (e.g. 64x64).", DefaultValueFactory = _ => "64x64" };
        var colorMode = new Option<string>("--color-mode") { Description = "With --dir: rgb or grayscale.", DefaultValueFactory = _ => "rgb" };
        var perClass = new Option<int>("--train-per-class") { Description = "Training images per class, drawn with a fixed seed (0 = all, with --dir).", DefaultValueFactory = _ => 119 };
        var valPerClass = new Option<int>("--val-per-class") { Description = "Fashion-MNIST: validation images per class (held out from training; the per-epoch curves).", DefaultValueFactory = _ => 100 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per run.", DefaultValueFactory = _ => 15 };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds; each arm runs once per seed.", DefaultValueFactory = _ => "1,2,3" };
        var arms = new Option<string>("--arms") { Description = $"Comma-separated arms: {string.Join(", ", ExperimentArm.BuiltInNames)}, or paths of generator configs (.json).", DefaultValueFactory = _ => "none,flip,mild,reference,clahe" };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => 32, Description = "Batch size." };
        var factor = new Option<double>("--samples-per-epoch") { Description = "Arms with a generator draw this many times the training set per epoch.", DefaultValueFactory = _ => 2 };
        var workers = new Option<int>("--workers") { Description = "Mirage worker threads building batches ahead.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0 = its default).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (runs per arm and seed) instead of the table." };
        var outDir = new Option<string?>("--out") { Description = "Also write a markdown report and PNG plots (validation macro-F1 and loss per epoch) into this folder." };
        var model = new Option<string>("--model") { Description = "The model: small (the fixed small CNN).", DefaultValueFactory = _ => "small" };
        var command = new Command("experiment", "Measure whether augmentation helps: train a small CNN per arm and seed, report test macro-F1 against no augmentation.")
        {
            data, dir, testDir, testSplit, imageSize, colorMode, perClass, valPerClass, epochs, seeds, arms, batchSize, factor, workers, threads, json, outDir, model,
        };
        command.SetAction(parse =>
        {
            var output = stdout ?? Console.Out;
            var errors = stderr ?? Console.Error;
            return CommandRunner.Run(errors, () =>
            {
                if (parse.GetValue(model) != "small")
                    throw new FormatException($"--model: only 'small' (the fixed small CNN) is available; got '{parse.GetValue(model)}'.");
                Positive(parse.GetValue(epochs), "--epochs");
                Positive(parse.GetValue(batchSize), "--batch-size");
                if (parse.GetValue(perClass) < 0) throw new FormatException("--train-per-class: must be ≥ 0.");
                if (!(parse.GetValue(factor) > 0)) throw new FormatException("--samples-per-epoch: must be a number > 0, e.g. 2.");
                if (parse.GetValue(workers) < 0) throw new FormatException("--workers: must be ≥ 0.");
                var seedList = ParseSeeds(parse.GetValue(seeds)!);
                var armList = parse.GetValue(arms)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(ExperimentArm.Parse).ToList();
                if (armList.Count == 0) throw new FormatException("--arms: name at least one arm, e.g. none,flip.");
                RequireLibTorch();

                var dataset = parse.GetValue(dir) is { } tree
                    ? ExperimentData.Folder(tree, parse.GetValue(testDir), parse.GetValue(testSplit), parse.GetValue(perClass),
                        Size(parse.GetValue(imageSize)!).Height, Size(parse.GetValue(imageSize)!).Width,
                        CommandRunner.ParseEnum<ColorMode>(parse.GetValue(colorMode)!, "--color-mode"))
                    : ExperimentData.FashionMnist(parse.GetValue(data)!, parse.GetValue(perClass), parse.GetValue(valPerClass));
                var options = new ExperimentOptions
                {
                    Epochs = parse.GetValue(epochs), Seeds = seedList, BatchSize = parse.GetValue(batchSize),
                    SamplesPerEpochFactor = parse.GetValue(factor), Workers = parse.GetValue(workers), TorchThreads = parse.GetValue(threads),
                    Progress = ProgressMode.Lines, Log = TextWriter.Null,
                };
                bool asJson = parse.GetValue(json);
                var log = asJson ? errors : output;
                log.WriteLine(dataset.Description);
                var runs = new List<ExperimentRun>();
                foreach (var run in Mirage.TorchSharp.Experiments.Experiment.Run(dataset, armList, options))
                {
                    runs.Add(run);
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{run.Arm,-12} seed {run.Seed}: test macro-F1 {run.MacroF1:F4}, accuracy {run.Accuracy:F4}, {run.Seconds:F1} s, data wait {run.DataWaitFraction:P1}"));
                }
                var settings = new ExperimentSettings(dataset.Description, options.Epochs, options.BatchSize, options.SamplesPerEpochFactor,
                    options.LearningRate, "mirage " + string.Join(' ', parse.Tokens.Select(t => t.Value)));
                if (asJson) output.WriteLine(ExperimentReport.Json(settings, runs));
                else output.Write(ExperimentReport.Table(ArmSummary.Of(runs)));
                if (parse.GetValue(outDir) is { } o)
                {
                    ExperimentReport.Write(o, settings, runs);
                    log.WriteLine($"wrote {Path.Combine(o, "report.md")} and its plots");
                }
            });
        });
        return command;
    }

    /// <summary>
    /// The `mirage` tool package leaves libtorch out (Mirage.Cli.csproj: ≈ 1.2 GB); say so before reading any data
    /// rather than failing mid-run with TorchSharp's page of advice.
    /// </summary>
    private static void RequireLibTorch()
    {
        try
        {
            global::TorchSharp.torch.InitializeDeviceType(global::TorchSharp.DeviceType.CPU);
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException)
        {
            throw new InvalidOperationException(
                "experiment: libtorch (TorchSharp's native library) could not be loaded. The `mirage` tool package leaves it out " +
                "(about 1.2 GB); run `./mirage experiment ...` from a clone of the repository, or pack the tool with " +
                "`dotnet pack src/Mirage.Cli -c Release -p:MirageToolWithLibTorch=true` and install that. " +
                "(" + (e.InnerException ?? e).Message.Split('\n')[0].Trim() + ")", e);
        }
    }

    private static void Positive(int value, string option)
    {
        if (value < 1) throw new FormatException($"{option}: must be at least 1; got {value}.");
    }

    private static (int Height, int Width) Size(string text) => CommandRunner.ParseSize(text, "--image-size")!.Value;

    internal static IReadOnlyList<int> ParseSeeds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var seeds = new List<int>();
        foreach (var p in parts)
            seeds.Add(int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) && s >= 0
                ? s : throw new FormatException($"--seeds: expected comma-separated whole numbers ≥ 0 such as 1,2,3; got '{p}'."));
        return seeds.Count > 0 ? seeds : throw new FormatException("--seeds: give at least one seed, e.g. 1,2,3.");
    }
}
