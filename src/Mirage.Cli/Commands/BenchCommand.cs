using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Pipelines;

namespace Mirage.Cli.Commands;

/// <summary>
/// `mirage bench [DIR] --config CONFIG.json [--target-size WxH] [--batch-size B] [--workers W] [--seconds S] [--json]`:
/// images per second for (a) the random transform of in-memory byte images (draw the parameters, build the matrix
/// with the flips folded in, one byte warp — what bench_peers.py times for OpenCV), on W threads, and (b) the whole
/// flow_from_directory pipeline (decode, resize, augment, float batch) with W workers.
/// Without DIR it builds a sample tree (17 classes × 70 JPEGs at the target size, quality 90, random crops of the
/// bundled photos) in a temporary folder (mirage-bench-{pid}-{guid}) and deletes it afterwards; trees left by killed runs
/// (kill -9) are removed at the next such start.
/// The pipeline runs first in the process, from its first batch with no warm-up: the rate over the first
/// `--first-seconds` (10) is reported apart from the steady rate over the `--seconds` after them, with the processor
/// count the runtime saw (`--min-first-ratio R` fails the command when first / steady &lt; R).
/// `--breakdown` also times, in the same run and on one thread, what one sample costs: file read, decode from memory,
/// the fused warp on a cached source and the batch write; their sum is the pipeline's limit per worker.
/// `--decode-compare` instead times, per file of DIR, full decode + resize against DCT-scaled decode + resize to the target.
/// </summary>
public static class BenchCommand
{
    /// <summary>The issue's reference configuration (samples/config.json).</summary>
    public static readonly ImageDataGeneratorOptions ReferenceConfig = new()
    {
        RotationRange = 40,
        WidthShiftRange = 0.2,
        HeightShiftRange = 0.2,
        ShearRange = 0.2,
        ZoomRange = (0.8, 1.2),
        HorizontalFlip = true,
        FillMode = FillMode.Nearest,
    };

    /// <summary>`mirage bench`: images per second in memory and for the whole folder pipeline; output goes to <paramref name="stdout"/>/<paramref name="stderr"/> (the console when null).</summary>
    public static Command Create(TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var dir = new Argument<string?>("DIR") { Description = "Folder with one sub-folder per class; none = a generated sample tree.", Arity = ArgumentArity.ZeroOrOne };
        var config = new Option<string?>("--config") { Description = "Generator config (JSON, Keras's names); default: the reference config (rotation 40, shifts 0.2, shear 0.2, zoom 0.2, horizontal flip, fill nearest)." };
        var targetSize = new Option<string>("--target-size") { Description = "WxH of the samples.", DefaultValueFactory = _ => "224x224" };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => 32 };
        var workers = new Option<int>("--workers") { Description = "Threads for the in-memory transform and worker threads of the pipeline.", DefaultValueFactory = _ => 1 };
        var seconds = new Option<double>("--seconds") { Description = "Timed seconds per measurement (after a warm-up).", DefaultValueFactory = _ => 5 };
        var interpolation = new Option<string>("--interpolation") { Description = "Resize filter of the pipeline (Keras's default: nearest).", DefaultValueFactory = _ => "nearest" };
        var classes = new Option<int>("--classes") { Description = "Generated tree: class folders.", DefaultValueFactory = _ => 17 };
        var perClass = new Option<int>("--per-class") { Description = "Generated tree: JPEGs per class.", DefaultValueFactory = _ => 70 };
        var firstSeconds = new Option<double>("--first-seconds") { Description = "Seconds of the fresh process's first window (no warm-up) reported apart from the steady rate; 0 = warm up instead.", DefaultValueFactory = _ => 10 };
        var minFirstRatio = new Option<double>("--min-first-ratio") { Description = "Fail (exit 1) when the first window's rate is below this fraction of the steady rate (e.g. 0.85)." };
        var fineScaled = new Option<bool>("--fine-scaled-decode") { Description = "Opt-in: also decode JPEGs between 1x and 2x the target at libjpeg-turbo's M/8 scales (FileFlowOptions.FineScaledDecode)." };
        var breakdown = new Option<bool>("--breakdown") { Description = "Also time file read, decode from memory, fused warp and batch write per sample, and the pipeline's rate as a fraction of their limit." };
        var decodeCompare = new Option<bool>("--decode-compare") { Description = "Only time full decode + resize vs DCT-scaled decode + resize of DIR's files to the target (one thread)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("bench", "Images per second: in-memory random transform and the whole flow_from_directory pipeline.")
        {
            dir, config, targetSize, batchSize, workers, seconds, interpolation, classes, perClass, firstSeconds, minFirstRatio, breakdown, fineScaled, decodeCompare, json,
        };
        command.SetAction(parse =>
        {
            var output = stdout ?? Console.Out;
            var errors = stderr ?? Console.Error;
            return CommandRunner.Run(errors, () =>
            {
                var size = CommandRunner.ParseSize(parse.GetValue(targetSize), "--target-size")!.Value;
                int b = parse.GetValue(batchSize), w = parse.GetValue(workers);
                double s = parse.GetValue(seconds);
                if (b < 1) throw new ArgumentException($"--batch-size must be at least 1; got {b}.");
                CommandRunner.Workers(w);
                if (!(s > 0 && s <= 3600)) throw new ArgumentException($"--seconds must be more than 0 and at most 3600; got {s}.");
                var resize = CommandRunner.ParseEnum<ResizeInterpolation>(parse.GetValue(interpolation)!, "--interpolation");
                double first = parse.GetValue(firstSeconds), minRatio = parse.GetValue(minFirstRatio);
                if (!(first >= 0)) throw new ArgumentException("--first-seconds must be ≥ 0.");
                if (!(minRatio >= 0)) throw new ArgumentException("--min-first-ratio must be ≥ 0.");
                if (minRatio > 0 && first == 0) throw new ArgumentException("--min-first-ratio needs a first window (--first-seconds > 0).");
                var settings = new Settings(size, b, w, s, resize, parse.GetValue(json), first, minRatio, parse.GetValue(breakdown), parse.GetValue(fineScaled));
                string? given = parse.GetValue(dir);
                if (parse.GetValue(decodeCompare))
                {
                    if (given is null) throw new ArgumentException("--decode-compare needs DIR (a folder of large JPEGs).");
                    DecodeCompare(given, settings, output);
                    return;
                }
                var configPath = parse.GetValue(config);
                var generator = configPath is null ? new ImageDataGenerator(ReferenceConfig) : AugmentCommand.LoadGenerator(configPath);
                string? temp = null;
                using var interrupt = new Interrupt();
                try
                {
                    if (given is null)
                    {
                        int stale = RemoveStaleTrees(Path.GetTempPath());
                        if (stale > 0) errors.WriteLine($"mirage bench: removed {stale} sample tree(s) left in '{Path.GetTempPath()}' by killed runs");
                        temp = Path.Combine(Path.GetTempPath(), $"{TreePrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
                        // Ctrl-C / SIGTERM: nothing to resume in a benchmark; remove the generated tree and stop.
                        interrupt.Token.Register(() =>
                        {
                            for (int attempt = 0; attempt < 20 && Directory.Exists(temp); attempt++) // files may still be landing
                            {
                                try { Directory.Delete(temp, recursive: true); }
                                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Thread.Sleep(50); }
                            }
                            errors.WriteLine($"mirage: interrupted by {interrupt.Signal}; removed the generated tree '{temp}'.");
                            Environment.Exit(Interrupted.ExitCode);
                        });
                        errors.WriteLine($"mirage bench: writing a sample tree of {parse.GetValue(classes) * parse.GetValue(perClass)} JPEGs …");
                        BuildSampleTree(temp, size, parse.GetValue(classes), parse.GetValue(perClass), seed: 1);
                    }
                    else ImageFiles.RequireDirectory(given);
                    Run(given ?? temp!, given is null, configPath, generator, settings, output, errors);
                }
                catch (Exception) when (interrupt.Token.IsCancellationRequested)
                {
                    // The tree vanished under the benchmark because the handler above removed it; it ends the process.
                    Thread.Sleep(Timeout.Infinite);
                }
                finally
                {
                    if (temp is not null && !interrupt.Token.IsCancellationRequested) Directory.Delete(temp, recursive: true);
                }
            });
        });
        return command;
    }

    private sealed record Settings((int Height, int Width) Size, int BatchSize, int Workers, double Seconds, ResizeInterpolation Resize, bool Json,
        double FirstSeconds = 0, double MinFirstRatio = 0, bool Breakdown = false, bool FineScaledDecode = false)
    {
        public string SizeText => $"{Size.Width}x{Size.Height}";
    }

    /// <param name="dir">The folder benchmarked (generated or the user's).</param>
    /// <param name="generated">The folder was generated by the bench (reported as such).</param>
    /// <param name="configPath">The --config file, or null for the reference configuration.</param>
    /// <param name="generator">The generator built from it.</param>
    /// <param name="s">Target size, batch, workers, windows and switches.</param>
    /// <param name="output">Where the results go (stdout).</param>
    /// <param name="progress">Where the steps are announced as they start (stderr: a run takes 10–20 s, and --json keeps stdout clean).</param>
    private static void Run(string dir, bool generated, string? configPath, ImageDataGenerator generator, Settings s, TextWriter output, TextWriter progress)
    {
        // The pipeline first: its first window is what a fresh process delivers (nothing else has run yet).
        double each = WarmupSeconds(s) + s.Seconds;
        progress.WriteLine($"mirage bench: folder pipeline with {s.Workers} worker(s): warming up, then {s.Seconds:0.#} s timed (≈ {each:0.#} s) …");
        var pipe = Pipeline(dir, generator, s);
        progress.WriteLine($"mirage bench: in-memory random transform on {s.Workers} thread(s): warming up, then {s.Seconds:0.#} s timed (≈ {each:0.#} s) …");
        var (inMemoryRate, inMemoryBatchMs, images) = InMemory(dir, generator, s);
        var parts = s.Breakdown ? Breakdown(dir, generator, pipe.Load, s) : null;
        double? limitFraction = parts is null ? null : pipe.Rate / (s.Workers * parts.LimitRate);
        // The pipeline against its two big costs alone (decode + warp per image, per worker): what is left is read,
        // batch write and the data layer's own overhead.
        double? decodeWarpFraction = parts is null ? null : pipe.Rate * (parts.DecodeUs + parts.WarpUs) / (1e6 * s.Workers);
        if (s.Json)
        {
            using var ms = new MemoryStream();
            using (var j = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
            {
                j.WriteStartObject();
                j.WriteNumber("in_memory_images_per_second", Math.Round(inMemoryRate, 1));
                j.WriteNumber("in_memory_median_ms_per_batch", Math.Round(inMemoryBatchMs, 3));
                j.WriteNumber("directory_images_per_second", Math.Round(pipe.Rate, 1));
                j.WriteNumber("directory_median_ms_per_batch", Math.Round(pipe.MedianBatchMs, 3));
                j.WriteNumber("directory_fused_fraction", Math.Round(pipe.FusedFraction, 4));
                j.WriteNumber("directory_cpu_us_per_image", Math.Round(pipe.CpuUs, 1));
                if (s.FirstSeconds > 0)
                {
                    j.WriteNumber("first_seconds", s.FirstSeconds);
                    j.WriteNumber("first_images_per_second", Math.Round(pipe.FirstRate, 1));
                    j.WriteNumber("first_to_steady", Math.Round(pipe.FirstRate / pipe.Rate, 3));
                    j.WriteNumber("first_cpu_us_per_image", Math.Round(pipe.FirstCpuUs, 1));
                }
                if (parts is not null)
                {
                    j.WriteNumber("breakdown_read_us", Math.Round(parts.ReadUs, 1));
                    j.WriteNumber("breakdown_decode_us", Math.Round(parts.DecodeUs, 1));
                    j.WriteNumber("breakdown_warp_us", Math.Round(parts.WarpUs, 1));
                    j.WriteNumber("breakdown_batch_write_us", Math.Round(parts.BatchWriteUs, 1));
                    j.WriteNumber("breakdown_limit_images_per_second", Math.Round(parts.LimitRate, 1));
                    j.WriteNumber("directory_fraction_of_limit", Math.Round(limitFraction!.Value, 3));
                    j.WriteNumber("directory_fraction_of_decode_plus_warp", Math.Round(decodeWarpFraction!.Value, 3));
                }
                j.WriteNumber("workers", s.Workers);
                j.WriteNumber("batch_size", s.BatchSize);
                j.WriteString("image_size", s.SizeText);
                j.WriteString("decoder", ImageDecoder.JpegDecoder);
                j.WriteString("directory", generated ? "generated" : Path.GetFullPath(dir));
                if (generated) j.WriteString("generated_tree", Path.GetFullPath(dir)); // deleted when the command ends
                j.WriteNumber("files", pipe.Files);
                j.WriteNumber("in_memory_images", images);
                j.WriteString("config", configPath ?? "reference");
                j.WriteBoolean("scaled_decode", pipe.Load.ScaledDecode);
                j.WriteBoolean("fine_scaled_decode", pipe.Load.FineScaledDecode);
                j.WriteString("interpolation", s.Resize.ToString().ToLowerInvariant());
                j.WriteNumber("seconds", s.Seconds);
                j.WriteNumber("processor_count", Environment.ProcessorCount);
                j.WriteEndObject();
            }
            output.WriteLine(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
        }
        else
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{pipe.Files} files in {(generated ? "a generated tree" : dir)}, {s.SizeText}, batch {s.BatchSize}, {s.Workers} worker(s), JPEG decoder {ImageDecoder.JpegDecoder}, {Environment.ProcessorCount} processor(s) seen"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{inMemoryRate,10:F1} img/s  in-memory random transform (bytes; {inMemoryBatchMs:F2} ms per batch of {s.BatchSize}, median)"));
            if (s.FirstSeconds > 0)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{pipe.FirstRate,10:F1} img/s  flow_from_directory, first {s.FirstSeconds:0.##} s of the process (no warm-up): {pipe.FirstRate / pipe.Rate:F2}x the steady rate; processor time {pipe.FirstCpuUs:F0} µs/img"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{pipe.Rate,10:F1} img/s  flow_from_directory{(s.FirstSeconds > 0 ? ", steady (the next " + s.Seconds.ToString("0.##", CultureInfo.InvariantCulture) + " s)" : "")} (decode, resize, augment, float batch; {pipe.MedianBatchMs:F2} ms per batch, median; fused path {pipe.FusedFraction:P0}; processor time {pipe.CpuUs:F0} µs/img)"));
            if (parts is not null)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"per sample, one thread, medians of {parts.Rounds} alternated rounds: read {parts.ReadUs:F1} µs + decode from memory {parts.DecodeUs:F1} µs + fused warp {parts.WarpUs:F1} µs + batch write {parts.BatchWriteUs:F1} µs"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{parts.LimitRate * s.Workers,10:F1} img/s  limit = {s.Workers} / (sum of the above); the pipeline runs at {limitFraction:P1} of it"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{1e6 * s.Workers / (parts.DecodeUs + parts.WarpUs),10:F1} img/s  decode + fused warp alone; the pipeline runs at {decodeWarpFraction:F2}x of it"));
            }
        }
        if (s.MinFirstRatio > 0 && pipe.FirstRate < s.MinFirstRatio * pipe.Rate)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"slow start: the first {s.FirstSeconds:0.##} s ran at {pipe.FirstRate:F1} img/s, {pipe.FirstRate / pipe.Rate:F2}x the steady {pipe.Rate:F1} img/s (below --min-first-ratio {s.MinFirstRatio:0.##}); {Environment.ProcessorCount} processor(s) seen."));
    }

    /// <summary>Pictures of the tree, resized to the target, as bytes; then per image: draw, matrix (flips folded in), one byte warp.</summary>
    private static (double Rate, double MedianBatchMs, int Images) InMemory(string dir, ImageDataGenerator generator, Settings s)
    {
        var load = new ImageLoadOptions(s.Size, ColorMode.Rgb, ResizeInterpolation.Bilinear);
        var files = ImageFiles.Stream(dir, followLinks: false, _ => { }).Take(256).Select(f => Path.Combine(dir, f)).ToArray();
        if (files.Length == 0) throw new ArgumentException($"No images under '{dir}'.");
        var sources = files.Select(load.LoadBytes).ToArray();
        try
        {
            var shape = sources[0].Info;
            var warp = generator.WarpOptions;
            void One(Image<byte> dst, long i)
            {
                var rng = StreamKeys.Sample(1, 0, i);
                var p = generator.GetRandomTransform(shape, ref rng);
                var m = KerasTransform.Matrix(p, shape.Height, shape.Width, warp.Centre) ?? AffineMatrix.Identity;
                if (p.FlipHorizontal) m *= new AffineMatrix(1, 0, 0, 0, -1, shape.Width - 1);
                if (p.FlipVertical) m *= new AffineMatrix(-1, 0, shape.Height - 1, 0, 1, 0);
                WarpAffine.Apply(sources[i % sources.Length], dst, m, warp);
            }
            var (rate, batchMs) = Threads(s, One, shape);
            return (rate, batchMs, sources.Length);
        }
        finally
        {
            foreach (var src in sources) src.Dispose();
        }
    }

    /// <summary>Runs <paramref name="one"/> on W threads in batches: a warm-up, then <see cref="Settings.Seconds"/> timed.</summary>
    private static (double Rate, double MedianBatchMs) Threads(Settings s, Action<Image<byte>, long> one, ImageInfo shape)
    {
        double warmup = WarmupSeconds(s);
        var batchMs = new List<double>[s.Workers];
        long[] done = new long[s.Workers];
        long start = 0, stop = 0;
        using var barrier = new Barrier(s.Workers + 1);
        var threads = Enumerable.Range(0, s.Workers).Select(t => new Thread(() =>
        {
            using var dst = new Image<byte>(shape);
            var mine = batchMs[t] = [];
            long i = t * 1_000_000_000L;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed.TotalSeconds < warmup) one(dst, i++);
            barrier.SignalAndWait(); // all warm: start together
            long n = 0;
            while (Stopwatch.GetTimestamp() < Volatile.Read(ref stop) || Volatile.Read(ref stop) == 0)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int k = 0; k < s.BatchSize; k++) one(dst, i++);
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                n += s.BatchSize;
            }
            done[t] = n;
        }) { IsBackground = true, Name = $"mirage-bench-{t}" }).ToArray();
        foreach (var th in threads) th.Start();
        barrier.SignalAndWait();
        start = Stopwatch.GetTimestamp();
        Volatile.Write(ref stop, start + (long)(s.Seconds * Stopwatch.Frequency));
        foreach (var th in threads) th.Join();
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (done.Sum() / elapsed, Median(batchMs.SelectMany(x => x)));
    }

    /// <param name="Rate">Steady images per second.</param>
    /// <param name="MedianBatchMs">Median wall time per batch in the steady window.</param>
    /// <param name="FusedFraction">Fraction of samples that took the fused (single warp) path.</param>
    /// <param name="Files">Files in the folder.</param>
    /// <param name="Load">How files were loaded (size, colour mode, resize, scaled decode).</param>
    /// <param name="FirstRate">Images per second over the first --first-seconds of the process.</param>
    /// <param name="FirstCpuUs">As <paramref name="CpuUs"/>, over the first window.</param>
    /// <param name="CpuUs">Processor time of the whole process per delivered image in the steady window (all threads,
    /// the runtime's included): on a busy machine it moves far less than the rate, which counts waiting too.</param>
    private sealed record PipelineResult(double Rate, double MedianBatchMs, double FusedFraction, int Files, ImageLoadOptions Load, double FirstRate,
        double CpuUs, double FirstCpuUs);

    /// <summary>
    /// flow_from_directory with W workers, endless epochs, batches counted at the consumer. With a first window: from the
    /// first batch on (no warm-up), first window then <see cref="Settings.Seconds"/> steady; otherwise a warm-up first.
    /// </summary>
    private static PipelineResult Pipeline(string dir, ImageDataGenerator generator, Settings s)
    {
        using var it = generator.FlowFromDirectory(dir, new DirectoryFlowOptions
        {
            TargetSize = s.Size,
            Interpolation = s.Resize,
            BatchSize = s.BatchSize,
            Workers = s.Workers,
            Prefetch = Math.Max(2, 2 * s.Workers),
            Seed = 1,
            FineScaledDecode = s.FineScaledDecode,
        });
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        long delivered = 0, firstSamples = 0, samples = 0;
        double firstRate = 0, firstCpuUs = 0;
        if (s.FirstSeconds > 0)
        {
            while (sw.Elapsed.TotalSeconds < s.FirstSeconds)
                using (var b = it.Next()) firstSamples += b.Count;
            firstRate = firstSamples / sw.Elapsed.TotalSeconds;
            process.Refresh();
            firstCpuUs = (process.TotalProcessorTime - cpu0).TotalMicroseconds / firstSamples;
        }
        else
        {
            double warmup = WarmupSeconds(s);
            while (sw.Elapsed.TotalSeconds < warmup)
                using (var b = it.Next()) delivered += b.Count;
        }
        delivered += firstSamples;
        var gaps = new List<double>();
        process.Refresh();
        var cpu1 = process.TotalProcessorTime;
        var timer = Stopwatch.StartNew();
        double last = 0;
        while (timer.Elapsed.TotalSeconds < s.Seconds)
        {
            using var batch = it.Next();
            samples += batch.Count;
            double now = timer.Elapsed.TotalMilliseconds;
            gaps.Add(now - last);
            last = now;
        }
        double elapsed = timer.Elapsed.TotalSeconds;
        process.Refresh();
        double cpuUs = (process.TotalProcessorTime - cpu1).TotalMicroseconds / Math.Max(1, samples);
        delivered += samples;
        // Workers build ahead of the consumer, so FusedSamples ≥ delivered when every sample took the fused path.
        double fused = delivered == 0 ? 0 : Math.Min(1, it.FusedSamples / (double)delivered);
        // The median gap between batches at the consumer is the time one batch costs the pipeline as a whole.
        return new PipelineResult(samples / elapsed, Median(gaps), fused, it.Samples, ((FileSource)it.Source).LoadOptions, firstRate, cpuUs, firstCpuUs);
    }

    private sealed record BreakdownResult(double ReadUs, double DecodeUs, double WarpUs, double BatchWriteUs, int Rounds)
    {
        public double LimitRate => 1e6 / (ReadUs + DecodeUs + WarpUs + BatchWriteUs);
    }

    /// <summary>
    /// What one sample of the pipeline costs on one thread, each step alone, alternated in 100 ms rounds (medians):
    /// (1) read the file into memory (the pipeline's own read), (2) decode + resize from memory, (3) draw the sample's
    /// tape (Pipeline.Sample) and run its plan (the fused warp, as TransformPipeline.Run does) from a cached decoded
    /// source into one float slot that stays in cache, (4) the same into the
    /// successive slots of batch-sized buffers (three in rotation, as a worker with prefetch 2 uses) — its excess over (3)
    /// is the batch write. Files: the tree's first 256.
    /// </summary>
    private static BreakdownResult Breakdown(string dir, ImageDataGenerator generator, ImageLoadOptions load, Settings s)
    {
        var files = ImageFiles.Stream(dir, followLinks: false, _ => { }).Take(256).Select(f => Path.Combine(dir, f)).ToArray();
        var shape = load.SampleShape;
        // Timed: what the data layer does per sample (BatchBuilder.PipelineSample), minus the load: the tape drawn from
        // the sample's stream, then the plan from the decoded bytes into the slot.
        var pipeline = generator.Pipeline;
        var tape = new ParameterTape();
        using var runScratch = new RunScratch();
        var first = StreamKeys.Sample(1, 0, 0);
        pipeline.Sample(ref first, shape, tape);
        if (tape.Precision != PipelinePrecision.FloatWithFusedWarps || !TapeRunner.FusesIntoOneWarp(tape))
            throw new InvalidOperationException("--breakdown times the fused path; this configuration does not take it.");
        var encoded = files.Select(File.ReadAllBytes).ToArray();
        // The pipeline warps a source its decode has just written, so the source is in cache: the warp is timed on one
        // decoded source (64 distinct sources, 9.6 MB at 224², would time cache misses the pipeline never pays).
        var source = load.LoadBytes(files[0]);
        var slot = new float[shape.Length];
        // Touched once before timing: the pipeline's batch buffers are reused, so their pages are already mapped.
        var batches = Enumerable.Range(0, 3).Select(_ => new float[s.BatchSize * shape.Length]).ToArray();
        foreach (var b in batches) Array.Fill(b, 1f);
        long n = 0;
        int slotInBatch = 0, batchBuffer = 0;
        void Warp(Span<float> dst)
        {
            long i = n++;
            var rng = StreamKeys.Sample(1, 0, i);
            pipeline.Sample(ref rng, shape, tape);
            if (!TapeRunner.Run(tape, source, dst, DataFormat.ChannelsLast, runScratch))
                throw new InvalidOperationException("The configuration drew a step the fused path cannot do.");
        }
        var cases = new Action[]
        {
            () =>
            {
                var buffer = ImageDecoder.ReadFile(files[n++ % files.Length], out _);
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            },
            () =>
            {
                long i = n++;
                load.LoadBytes(encoded[i % encoded.Length], files[i % files.Length]).Dispose();
            },
            () => Warp(slot),
            () =>
            {
                Warp(batches[batchBuffer].AsSpan(slotInBatch * shape.Length, shape.Length));
                if (++slotInBatch == s.BatchSize) (slotInBatch, batchBuffer) = (0, (batchBuffer + 1) % batches.Length);
            },
        };
        var rounds = cases.Select(_ => new List<double>()).ToArray();
        foreach (var c in cases) for (int k = 0; k < 16; k++) c(); // first calls (JIT, pools)
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < Math.Max(1, s.Seconds) || rounds[0].Count < 5)
            for (int c = 0; c < cases.Length; c++)
            {
                var sw = Stopwatch.StartNew();
                int k = 0;
                while (sw.Elapsed.TotalMilliseconds < 100 || k == 0)
                {
                    cases[c]();
                    k++;
                }
                rounds[c].Add(sw.Elapsed.TotalMilliseconds * 1000 / k);
            }
        source.Dispose();
        double warp = Median(rounds[2]), intoBatch = Median(rounds[3]);
        return new BreakdownResult(Median(rounds[0]), Median(rounds[1]), warp, Math.Max(0, intoBatch - warp), rounds[0].Count);
    }

    /// <summary>
    /// Untimed lead-in before counting: the runtime recompiles hot methods (tiered JIT) on a background thread for a
    /// second or two, which with every core busy would otherwise be counted against the multi-threaded runs.
    /// </summary>
    private static double WarmupSeconds(Settings s) => Math.Min(2.5, Math.Max(1.0, s.Seconds / 2));

    private static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        return v.Length == 0 ? double.NaN : v[v.Length / 2];
    }

    /// <summary>
    /// Full decode + resize against DCT-scaled decode + resize (the pipeline's <see cref="ImageLoadOptions.ScaledDecode"/>),
    /// per file, on this thread, alternating in 200 ms rounds so a noisy machine slows all cases alike. The scaled decode
    /// is timed twice: as the pipeline runs it (Mirage's own decoder when the scale is 1/8) and without that decoder
    /// (libjpeg-turbo's scaled decode, or a full SkiaSharp decode on a machine without libjpeg-turbo).
    /// </summary>
    private static void DecodeCompare(string dir, Settings s, TextWriter output)
    {
        var files = ImageFiles.Stream(dir, followLinks: false, _ => { }).Take(64).Select(f => Path.Combine(dir, f)).ToArray();
        if (files.Length == 0) throw new ArgumentException($"No images under '{dir}'.");
        var full = new ImageLoadOptions(s.Size, ColorMode.Rgb, s.Resize);
        var scaled = full with { ScaledDecode = true, FineScaledDecode = s.FineScaledDecode };
        var withoutEighth = scaled with { Configuration = scaled.Configuration with { EighthScaleJpegDecoder = false } };
        var info = ImageDecoder.ReadInfo(files[0]);
        var cases = new (string Name, Action<string> Load)[]
        {
            ("full decode + resize", f => full.LoadBytes(f).Dispose()),
            ("DCT-scaled decode + resize", f => scaled.LoadBytes(f).Dispose()),
            ("DCT-scaled decode + resize, without Mirage's 1/8 decoder", f => withoutEighth.LoadBytes(f).Dispose()),
        };
        var rounds = cases.Select(_ => new List<double>()).ToArray();
        long i = 0;
        foreach (var c in cases)
            for (int k = 0; k < Math.Min(files.Length, 8); k++) c.Load(files[k]); // warm-up
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < 3 * s.Seconds || rounds[0].Count < 3)
            for (int c = 0; c < cases.Length; c++)
            {
                var sw = Stopwatch.StartNew();
                int n = 0;
                while (sw.Elapsed.TotalMilliseconds < 200 || n == 0)
                {
                    cases[c].Load(files[i++ % files.Length]);
                    n++;
                }
                rounds[c].Add(sw.Elapsed.TotalMilliseconds / n);
            }
        double fullMs = Median(rounds[0]), scaledMs = Median(rounds[1]), withoutMs = Median(rounds[2]);
        if (s.Json)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"source_size\": \"{info.Width}x{info.Height}\", \"image_size\": \"{s.SizeText}\", \"files\": {files.Length}, \"decoder\": \"{ImageDecoder.JpegDecoder}\", " +
                $"\"interpolation\": \"{s.Resize.ToString().ToLowerInvariant()}\", \"full_ms_per_image\": {fullMs:F3}, \"scaled_ms_per_image\": {scaledMs:F3}, " +
                $"\"scaled_without_eighth_decoder_ms_per_image\": {withoutMs:F3}, \"full_images_per_second\": {1000 / fullMs:F1}, \"scaled_images_per_second\": {1000 / scaledMs:F1}, " +
                $"\"speedup\": {fullMs / scaledMs:F2}, \"speedup_without_eighth_decoder\": {fullMs / withoutMs:F2}, \"rounds\": {rounds[0].Count}}}"));
            return;
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{files.Length} file(s) of {info.Width}x{info.Height} to {s.SizeText} ({s.Resize.ToString().ToLowerInvariant()}), JPEG decoder {ImageDecoder.JpegDecoder}, {rounds[0].Count} rounds (medians)"));
        for (int c = 0; c < cases.Length; c++)
        {
            double ms = Median(rounds[c]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ms,9:F3} ms/img {1000 / ms,8:F1} img/s  {fullMs / ms,5:F2}x  {cases[c].Name}"));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"speed-up {fullMs / scaledMs:F2}x (without the 1/8 decoder {fullMs / withoutMs:F2}x)"));
    }

    /// <summary>A generated tree is named mirage-bench-{pid}-{guid}: the pid tells a later run whether its owner is alive.</summary>
    internal const string TreePrefix = "mirage-bench-";

    /// <summary>
    /// Deletes the generated trees under <paramref name="root"/> whose bench process is gone: kill -9 runs no handler,
    /// so such a tree survives its run. A tree whose pid is alive is kept (if the pid was reused, a later run removes it);
    /// names without a pid (older versions) are left alone. Returns how many were removed.
    /// </summary>
    internal static int RemoveStaleTrees(string root)
    {
        int removed = 0;
        foreach (var dir in Directory.EnumerateDirectories(root, TreePrefix + "*"))
        {
            var rest = Path.GetFileName(dir.AsSpan())[TreePrefix.Length..];
            int dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || IsRunning(pid)) continue;
            try
            {
                Directory.Delete(dir, recursive: true);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // another run removing it, or not ours to remove
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) // no such process
        {
            return false;
        }
    }

    /// <summary>
    /// <paramref name="classes"/> folders × <paramref name="perClass"/> JPEGs at <paramref name="size"/>, quality 90: random
    /// crops of samples/chelsea.jpg and samples/astronaut.jpg (synthetic pictures when the photos are not found).
    /// </summary>
    internal static void BuildSampleTree(string root, (int Height, int Width) size, int classes, int perClass, ulong seed)
    {
        var photos = new[] { "chelsea.jpg", "astronaut.jpg" }.Select(FindSample).Where(p => p is not null)
            .Select(p => ImageDecoder.Decode(p!, ColorMode.Rgb)).ToList();
        try
        {
            if (photos.Count == 0) photos.Add(Synthetic(512, 512, seed));
            var rng = new RandomStream(seed);
            using var crop = new Image<byte>(size.Height, size.Width, 3);
            for (int c = 0; c < classes; c++)
            {
                string dir = Path.Combine(root, $"class{c:D2}");
                Directory.CreateDirectory(dir);
                for (int k = 0; k < perClass; k++)
                {
                    var photo = photos[rng.NextInt(photos.Count)];
                    // A random box of the target's aspect ratio, between half and all of the photo's short side.
                    double fit = Math.Min(photo.Width / (double)size.Width, photo.Height / (double)size.Height);
                    double scale = fit * (0.5 + 0.5 * rng.NextDouble());
                    float bw = (float)(size.Width * scale), bh = (float)(size.Height * scale);
                    float left = (float)(rng.NextDouble() * (photo.Width - bw)), top = (float)(rng.NextDouble() * (photo.Height - bh));
                    Resize.Apply(photo, crop, ResizeInterpolation.Bilinear, new ResizeBox(left, top, left + bw, top + bh));
                    ImageEncoder.Save(crop, Path.Combine(dir, $"{k:D4}.jpg"), ImageFormat.Jpeg, 90);
                }
            }
        }
        finally
        {
            foreach (var p in photos) p.Dispose();
        }
    }

    private static Image<byte> Synthetic(int h, int w, ulong seed)
    {
        var img = new Image<byte>(h, w, 3);
        var rng = new RandomStream(seed);
        var s = img.Span;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                    s[(y * w + x) * 3 + c] = (byte)((x * (c + 1) + y * (3 - c) + rng.NextInt(32)) & 0xFF);
        return img;
    }

    /// <summary>samples/NAME, looked for above the current folder and above the executable.</summary>
    private static string? FindSample(string name)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var p = Path.Combine(d.FullName, "samples", name);
                if (File.Exists(p)) return p;
            }
        return null;
    }
}
