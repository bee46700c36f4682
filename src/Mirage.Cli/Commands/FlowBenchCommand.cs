using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Mirage.Data;
using Mirage.Kernels.Geometric;

namespace Mirage.Cli.Commands;

/// <summary>
/// Hidden `mirage flow-bench DIR`: iterates flow_from_directory over a tree and reports throughput and peak memory
/// (VmHWM, the resident-set high-water mark). docs/data-pipeline.md records its numbers for trees of different sizes.
/// </summary>
public static class FlowBenchCommand
{
    /// <summary>`mirage flow-bench`: flow_from_directory throughput and peak memory on a class-folder tree; output goes to <paramref name="stdout"/>/<paramref name="stderr"/> (the console when null).</summary>
    public static Command Create(TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var dir = new Argument<string>("DIR") { Description = "Folder with one sub-folder per class." };
        var targetSize = new Option<string>("--target-size") { DefaultValueFactory = _ => "64x64" };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => 32 };
        var workers = new Option<int>("--workers") { DefaultValueFactory = _ => 2 };
        var prefetch = new Option<int>("--prefetch") { DefaultValueFactory = _ => 2 };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 1 };
        var config = new Option<string?>("--config") { Description = "Generator config (JSON); none = no augmentation." };
        var traceOption = new Option<bool>("--trace") { Description = "Print the resident set every 25 batches." };
        var onError = new Option<string>("--on-error") { Description = "Unreadable files: throw or skip.", DefaultValueFactory = _ => "throw" };
        var maxPixels = MaxPixelsOption.Create();
        var command = new Command("flow-bench", "Measure flow_from_directory throughput and peak memory.")
        {
            dir, targetSize, batchSize, workers, prefetch, epochs, config, traceOption, onError, maxPixels,
        };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var output = stdout ?? Console.Out;
            return CommandRunner.Run(stderr ?? Console.Error, () =>
            {
                var configPath = parse.GetValue(config);
                bool trace = parse.GetValue(traceOption);
                var augmenter = configPath is null ? null : ISampleAugmenter.Of(AugmentCommand.LoadGenerator(configPath));
                long baseline = PeakResidentBytes();
                var sw = Stopwatch.StartNew();
                using var it = DataPipeline.FromDirectory<float>(parse.GetValue(dir)!, augmenter, new DirectoryFlowOptions
                {
                    TargetSize = CommandRunner.ParseSize(parse.GetValue(targetSize), "--target-size")!.Value,
                    Interpolation = ResizeInterpolation.Bilinear,
                    BatchSize = parse.GetValue(batchSize),
                    Workers = parse.GetValue(workers),
                    Prefetch = parse.GetValue(prefetch),
                    Epochs = parse.GetValue(epochs),
                    Seed = 1,
                    OnBadFile = CommandRunner.ParseEnum<BadFilePolicy>(parse.GetValue(onError)!, "--on-error"),
                    MaxPixels = MaxPixelsOption.Read(parse, maxPixels),
                });
                double scan = sw.Elapsed.TotalSeconds;
                long samples = 0, batches = 0;
                double checksum = 0;
                foreach (var b in it)
                    using (b)
                    {
                        samples += b.Count;
                        batches++;
                        checksum += b.X[0];
                        if (trace && batches % 25 == 0)
                            output.WriteLine($"  batch {batches}: RSS {ResidentBytes("VmRSS:") / 1048576.0:F1} MiB");
                    }
                sw.Stop();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"files {it.Samples}  samples {samples}  batches {batches}  scan {scan:F2}s  total {sw.Elapsed.TotalSeconds:F2}s  " +
                    $"{samples / sw.Elapsed.TotalSeconds:F0} img/s  peak RSS {PeakResidentBytes() / 1048576.0:F1} MiB (startup {baseline / 1048576.0:F1} MiB)  " +
                    $"managed heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:F1} MiB  allocated {GC.GetTotalAllocatedBytes() / 1048576.0:F0} MiB  " +
                    $"GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}  checksum {checksum:F0}  skipped {it.SkippedFiles.Count}"));
            });
        });
        return command;
    }

    /// <summary>VmHWM from /proc/self/status (Linux), else the process's peak working set.</summary>
    internal static long PeakResidentBytes() => ResidentBytes("VmHWM:");

    private static long ResidentBytes(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(field, StringComparison.Ordinal))
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
