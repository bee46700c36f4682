using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using Mirage.Codecs;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Data;

/// <summary>Options of <see cref="AugmentRunner"/> (the `mirage augment` command).</summary>
/// <remarks>The settings that shape the outputs (seed, per-image count, size, mode, format, prefix, config …) are
/// recorded beside the manifest; a resume with different ones is refused unless <see cref="Overwrite"/> is set.</remarks>
public sealed record AugmentOptions
{
    /// <summary>Augmented variants written per source image.</summary>
    public int PerImage { get; init; } = 1;
    /// <summary>The run's seed: variant v of a source draws from RandomStream.For(seed, v, id of its relative path);
    /// default 0.</summary>
    public ulong Seed { get; init; }
    /// <summary>Images processed in parallel; ≥ 1 (default 1), at most the configuration's
    /// <see cref="MirageConfiguration.MaxWorkers"/> (and never fewer than 1). The outputs do not depend on it.</summary>
    public int Workers { get; init; } = 1;
    /// <summary>How the run runs (SIMD level, JPEG decoder, worker cap, warp tiling, pools); default
    /// <see cref="MirageConfiguration.Default"/>. Not part of the run's recorded settings: it never changes an output's
    /// bytes (except through the JPEG decoder, whose libraries agree on the files measured).</summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public MirageConfiguration Configuration
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Configuration));
    } = MirageConfiguration.Default;
    /// <summary>(height, width) to resize every source to before augmenting, or null (default) to keep each size.</summary>
    public (int Height, int Width)? TargetSize { get; init; }
    /// <summary>Pillow's filter for the resize to <see cref="TargetSize"/>; default nearest (Keras's).</summary>
    public ResizeInterpolation Interpolation { get; init; } = ResizeInterpolation.Nearest;
    /// <summary>Crop to the target's aspect ratio before resizing (Keras's keep_aspect_ratio).</summary>
    public bool KeepAspectRatio { get; init; }
    /// <summary>Keras's color_mode the sources are decoded in (and the outputs written in); default RGB.</summary>
    public ColorMode ColorMode { get; init; } = ColorMode.Rgb;
    /// <summary>Output format; default PNG.</summary>
    public ImageFormat Format { get; init; } = ImageFormat.Png;
    /// <summary>The outputs' extension, without the dot; null: the format's own (png, jpeg, webp). It must name
    /// <see cref="Format"/>: `jpg` for JPEG is what `--format jpg` gives (Keras names files .{save_format} as written).</summary>
    public string? Extension { get; init; }
    /// <summary>JPEG quality, 1..100, when <see cref="Format"/> is JPEG (`--jpeg-quality`). Default
    /// <see cref="ImageEncoder.DefaultQuality"/> (95); Keras's save_to_dir saves at Pillow's default, 75.</summary>
    public int JpegQuality { get; init; } = ImageEncoder.DefaultQuality;
    /// <summary>Middle part of each output name, <c>{stem}_{prefix}_{v}.{ext}</c>; default <c>aug</c>. A file-name part:
    /// no path separators, <c>:</c>, <c>..</c> or control characters.</summary>
    public string Prefix { get; init; } = "aug";
    /// <summary>Throw on an unreadable source (the default) or skip it and report it in the summary.</summary>
    public BadFilePolicy OnBadFile { get; init; } = BadFilePolicy.Throw;
    /// <summary>Enter symbolic links to folders when listing sources (cycles are skipped).</summary>
    public bool FollowLinks { get; init; }
    /// <summary>Receives skipped files, removed temp files and link cycles; null (default) writes nowhere.</summary>
    public TextWriter? Log { get; init; }
    /// <summary>A thread-safe custom decoder, or null (default) for <see cref="ImageDecoder"/>.</summary>
    public Func<string, ColorMode, Image<byte>>? Decoder { get; init; }
    /// <summary>Decompression-bomb guard (see <see cref="FileFlowOptions.MaxPixels"/>); also bounds <see cref="TargetSize"/>.</summary>
    public long MaxPixels { get; init; } = ImageDecoder.DefaultMaxPixels;
    /// <summary>Extra fields written into every manifest line (e.g. the warp settings `mirage apply` needs to replay).</summary>
    public Action<Utf8JsonWriter>? ManifestFields { get; init; }
    /// <summary>Encodes an image in a format into a stream; null uses <see cref="ImageEncoder.Encode"/>. The runner
    /// writes the stream through <see cref="AtomicFile"/>.</summary>
    public Action<Image<byte>, Stream, ImageFormat>? Encoder { get; init; }
    /// <summary>What the augmenter does (the CLI passes the generator config as canonical JSON): recorded with the run's
    /// settings, so a resume with another augmentation is refused.</summary>
    public string? Config { get; init; }
    /// <summary>Replace a previous run in OUT whose settings differ: its outputs (as its manifest lists them) and its
    /// manifest are deleted first. Without it such a run is refused.</summary>
    public bool Overwrite { get; init; }
    /// <summary>Stops the run between images (Ctrl-C); outputs written so far stay listed in the manifest.</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>What a run did.</summary>
/// <param name="Sources">Source images found.</param>
/// <param name="Written">Outputs written by this run.</param>
/// <param name="AlreadyDone">Outputs a previous run had written (listed in the manifest and on disk), not redone.</param>
/// <param name="Skipped">Unreadable sources left out (under <see cref="BadFilePolicy.Skip"/>), in listing order.</param>
/// <param name="ManifestPath">The full path of the manifest.</param>
public sealed record AugmentSummary(int Sources, int Written, int AlreadyDone, IReadOnlyList<BadFile> Skipped, string ManifestPath)
{
    /// <summary>One line for a log: counts, and each skipped file with its reason.</summary>
    public override string ToString() =>
        $"{Sources} source image(s): wrote {Written} augmented image(s), {AlreadyDone} already done" +
        (Skipped.Count == 0 ? "" : $", skipped {Skipped.Count} unreadable file(s): " + string.Join("; ", Skipped.Select(s => $"{s.Path} ({s.Reason})")));
}

/// <summary>
/// Writes N augmented variants of every image under a folder into a mirror of its folders, with a JSON-lines manifest
/// (<see cref="ManifestName"/>) recording the source, the output and the exact parameters applied, so any output can be
/// replayed with `mirage apply`. Variant v of a source draws from RandomStream.For(seed, v, id(relative path)), so the
/// bytes do not depend on the worker count; a re-run skips every output the manifest lists and the disk holds.
/// </summary>
public static class AugmentRunner
{
    /// <summary>The manifest's file name in the output folder: one JSON object per output, sorted by output path.</summary>
    public const string ManifestName = "manifest.jsonl";
    /// <summary>The run's settings beside the manifest: a resume must match them.</summary>
    public const string SettingsName = "manifest.settings.json";

    /// <summary>
    /// Keras parameters: each variant is <paramref name="augmenter"/>'s Sample and Apply on the float image (no
    /// standardization), rounded to bytes; the manifest's "params" is Keras's parameter dictionary.
    /// </summary>
    /// <param name="sourceDir">The images, found recursively (Keras's extensions); never written to.</param>
    /// <param name="outDir">The output folder (created if missing); must differ from <paramref name="sourceDir"/>. One run
    /// per folder at a time (an advisory lock).</param>
    /// <param name="augmenter">Draws and applies each variant (its Standardize is not called: outputs are images).</param>
    /// <param name="options">Variants, seed, workers, resize, format, bad-file policy, overwrite, cancellation.</param>
    /// <param name="progress">Called with (sources done, total) from worker threads; or null.</param>
    /// <returns>What was written, already done and skipped.</returns>
    /// <remarks>Every output is written atomically and journalled in the manifest as it is written, so a killed run
    /// resumes where it stopped; the final manifest is sorted, so equal runs give identical manifests.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">PerImage or Workers is below 1.</exception>
    /// <exception cref="ArgumentException">The prefix is not a file-name part, MaxPixels or TargetSize is invalid, or the
    /// two folders are the same.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="sourceDir"/> does not exist.</exception>
    /// <exception cref="MirageException"><paramref name="outDir"/> holds a run with other settings and Overwrite is off.</exception>
    /// <exception cref="IOException">Another run holds the output folder, or a write failed.</exception>
    /// <exception cref="ImageDecodeException">A source is unreadable and the policy is Throw.</exception>
    /// <exception cref="OperationCanceledException"><see cref="AugmentOptions.Cancellation"/> was triggered.</exception>
    public static AugmentSummary Run(string sourceDir, string outDir, ISampleAugmenter augmenter, AugmentOptions options, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(augmenter);
        return Run(sourceDir, outDir, options, progress, () => new KerasVariants(augmenter));
    }

    /// <summary>
    /// A transform pipeline: each variant is the pipeline's tape run on the decoded bytes (an 8-bit image of the tape's
    /// output shape, the float result rounded); the manifest's "params" is the whole recorded tape, so
    /// `mirage apply SOURCE OUT --params '&lt;params&gt;'` replays it alone.
    /// </summary>
    public static AugmentSummary Run(string sourceDir, string outDir, TransformPipeline pipeline, AugmentOptions options, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return Run(sourceDir, outDir, options, progress, () => new PipelineVariants(pipeline, options.Configuration));
    }

    /// <summary>Makes the variants of one source image: one maker per source, used by one thread.</summary>
    private abstract class VariantMaker : IDisposable
    {
        /// <summary>Variant of <paramref name="source"/> drawn from <paramref name="random"/>; <paramref name="parameters"/> is the manifest's "params" JSON.
        /// The image returned is the maker's own, valid until the next call.</summary>
        public abstract Image<byte> Make(Image<byte> source, ref RandomStream random, out string parameters);

        public abstract void Dispose();
    }

    private sealed class KerasVariants(ISampleAugmenter augmenter) : VariantMaker
    {
        private Image<float>? _x, _y;
        private Image<byte>? _output;

        public override Image<byte> Make(Image<byte> source, ref RandomStream random, out string parameters)
        {
            if (_x is null)
            {
                _x = ImageConvert.ToFloat(source);
                _y = new Image<float>(_x.Info);
                _output = new Image<byte>(_x.Info);
            }
            var p = augmenter.Sample(_x.Info, ref random);
            augmenter.Apply(_x, _y!, p);
            ImageConvert.ToByte(_y!.Span, _output!.Span);
            parameters = p.ToJson();
            return _output;
        }

        public override void Dispose()
        {
            _x?.Dispose();
            _y?.Dispose();
            _output?.Dispose();
        }
    }

    private sealed class PipelineVariants(TransformPipeline pipeline, MirageConfiguration configuration) : VariantMaker
    {
        private readonly ParameterTape _tape = new();
        private readonly RunScratch _scratch = new(configuration);
        private Image<byte>? _output;

        public override Image<byte> Make(Image<byte> source, ref RandomStream random, out string parameters)
        {
            pipeline.Sample(ref random, source.Info, _tape);
            if (_output is null || _output.Info != _tape.Output)
            {
                _output?.Dispose();
                _output = new Image<byte>(_tape.Output);
            }
            TapeRunner.Run(_tape, source, _output, _scratch);
            parameters = _tape.ToJson();
            return _output;
        }

        public override void Dispose()
        {
            _scratch.Dispose();
            _output?.Dispose();
        }
    }

    private static AugmentSummary Run(string sourceDir, string outDir, AugmentOptions options, Action<int, int>? progress, Func<VariantMaker> makers)
    {
        if (options.PerImage < 1) throw new ArgumentOutOfRangeException(nameof(options), options.PerImage, "--per-image must be at least 1.");
        if (options.Workers < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Workers, "--workers must be at least 1.");
        CheckPrefix(options.Prefix);
        if (options.JpegQuality is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(options), options.JpegQuality,
                $"--jpeg-quality must be between 1 and 100 (Keras saves at Pillow's default, 75); got {options.JpegQuality}.");
        string extension = OutputExtension(options);
        ImageLoadOptions.CheckMaxPixels(options.MaxPixels);
        if (options.TargetSize is { } size) ImageLoadOptions.CheckTargetSize(size, options.MaxPixels);
        ImageFiles.RequireDirectory(sourceDir);
        string src = Path.GetFullPath(sourceDir), dst = Path.GetFullPath(outDir);
        if (src == dst) throw new ArgumentException("The output folder must differ from the source folder (inputs are never overwritten).");
        Directory.CreateDirectory(dst);
        // One run per OUT at a time (an advisory lock, released when the process dies): the stale-file sweep below
        // must not delete another live run's temp files.
        using var runLock = LockOutput(dst);
        int staleRemoved = AtomicFile.RemoveStale(dst);
        if (staleRemoved > 0) options.Log?.WriteLine($"mirage: removed {staleRemoved} temp file(s) left in '{dst}' by an interrupted run");

        // Outputs under the source folder must not be picked up as sources on the next run.
        string dstPrefix = dst + Path.DirectorySeparatorChar;
        var files = ImageFiles.Enumerate(src, options.FollowLinks, ImageFiles.LogCycles(options.Log))
            .Where(f => !Path.Combine(src, f).StartsWith(dstPrefix, StringComparison.Ordinal)).ToArray();
        var plan = Plan(files, options, extension);
        var inputs = new HashSet<string>(files.Select(f => Path.Combine(src, f)), StringComparer.Ordinal);

        string manifestPath = Path.Combine(dst, ManifestName);
        RunSettings.Reconcile(dst, manifestPath, RunSettings.Of(options), options.Overwrite, options.Log);
        var manifest = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(manifestPath))
            foreach (var line in File.ReadLines(manifestPath))
                if (OutputOf(line) is { } o && File.Exists(Path.Combine(dst, o))) manifest[o] = line;

        var skipped = new ConcurrentBag<BadFile>();
        int written = 0, alreadyDone = 0, done = 0;
        var load = new ImageLoadOptions(options.TargetSize ?? (1, 1), options.ColorMode, options.Interpolation, options.KeepAspectRatio, options.Decoder,
            MaxPixels: options.MaxPixels) { Configuration = options.Configuration };
        var encode = options.Encoder ?? ((img, stream, fmt) =>
            stream.Write(ImageEncoder.Encode(img, fmt, fmt == ImageFormat.Jpeg ? options.JpegQuality : ImageEncoder.DefaultQuality)));
        using var journal = new StreamWriter(new FileStream(manifestPath, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
        var journalGate = new object();
        try
        {
            Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Configuration.Workers(options.Workers)), CancellationToken = options.Cancellation }, i =>
            {
                var outputs = plan[i];
                var todo = Enumerable.Range(0, options.PerImage).Where(v => !manifest.ContainsKey(outputs[v])).ToArray();
                Interlocked.Add(ref alreadyDone, options.PerImage - todo.Length);
                if (todo.Length > 0) Augment(i, todo);
                progress?.Invoke(Interlocked.Increment(ref done), files.Length);

                void Augment(int index, int[] variants)
                {
                    string path = Path.Combine(src, files[index]);
                    Image<byte> bytes;
                    try
                    {
                        bytes = options.TargetSize is null ? Decode(path) : load.LoadBytes(path);
                    }
                    catch (Exception e) when (BadFiles.IsBadInput(e))
                    {
                        var d = BadFiles.Describe(e, path);
                        if (options.OnBadFile == BadFilePolicy.Throw) throw d;
                        skipped.Add(new BadFile(files[index], d.Reason, index, 0));
                        options.Log?.WriteLine($"mirage: skipped '{path}': {d.Reason}");
                        return;
                    }
                    using (bytes)
                    using (var maker = makers())
                    {
                        ulong id = StableId(files[index]);
                        foreach (int v in variants)
                        {
                            var random = StreamKeys.AugmentVariant(options.Seed, v, id);
                            var output = maker.Make(bytes, ref random, out string parameters);
                            string rel = outputs[v], full = Path.Combine(dst, rel);
                            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                            CheckWriteTarget(full, dst, inputs);
                            AtomicFile.Write(full, s => encode(output, s, options.Format));
                            var line = ManifestLine(files[index], rel, v, options, parameters);
                            lock (journalGate)
                            {
                                journal.WriteLine(line);
                                journal.Flush();
                            }
                            manifest[rel] = line;
                            Interlocked.Increment(ref written);
                        }
                    }
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        finally
        {
            journal.Dispose();
            // The final manifest is sorted, so equal runs give byte-identical manifests whatever the worker count.
            AtomicFile.WriteAllLines(manifestPath, manifest.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value));
        }
        return new AugmentSummary(files.Length, written, alreadyDone, skipped.OrderBy(s => s.Index).ToArray(), manifestPath);

        Image<byte> Decode(string path)
        {
            try
            {
                return options.Decoder is { } custom ? custom(path, options.ColorMode)
                    : ImageDecoder.Decode(path, options.ColorMode, applyOrientation: false, options.MaxPixels, options.Configuration);
            }
            catch (Exception e) when (BadFiles.IsBadInput(e))
            {
                throw BadFiles.Describe(e, path);
            }
        }
    }

    /// <summary>Output names: "{stem}_{prefix}_{v}.{ext}" next to the source's relative folder; sources whose stems
    /// collide (a.png, a.jpg) keep their extension in the name.</summary>
    private static string[][] Plan(string[] files, AugmentOptions o, string ext)
    {
        string Name(string f, bool withExt, int v)
        {
            string stem = Path.GetFileNameWithoutExtension(f);
            if (withExt) stem += "_" + Path.GetExtension(f).TrimStart('.');
            return Path.Combine(Path.GetDirectoryName(f) ?? "", $"{stem}_{o.Prefix}_{v}.{ext}");
        }
        var clash = files.GroupBy(f => Name(f, false, 0), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1).SelectMany(g => g).ToHashSet();
        var plan = files.Select(f => Enumerable.Range(0, o.PerImage).Select(v => Name(f, clash.Contains(f), v)).ToArray()).ToArray();
        // Crafted names can still meet (a_png.jpg beside a.png + a.jpg, or a source named like an output): two sources
        // must never share an output, so any remaining clash (case-insensitive, as some file systems are) is an error.
        var owner = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < files.Length; i++)
            foreach (var name in plan[i])
                if (!owner.TryAdd(name, i) && owner[name] != i)
                    throw new IOException($"Two sources would be written to the same output '{name}': '{files[owner[name]]}' and '{files[i]}'. " +
                        "Rename one of them, or choose another --prefix.");
        return plan;
    }

    /// <summary>The outputs' extension: <see cref="AugmentOptions.Extension"/> when set (it must name the format: jpg or
    /// jpeg for JPEG), else the format's own.</summary>
    internal static string OutputExtension(AugmentOptions o)
    {
        string own = SaveToDirWriter.Extension(o.Format);
        if (o.Extension is not { } ext) return own;
        ImageFormat? named = null;
        if (ext.Length > 0 && ext.All(char.IsAsciiLetterOrDigit))
            try { named = ImageEncoder.FormatFromExtension("x." + ext); }
            catch (ArgumentException) { }
        return named == o.Format ? ext
            : throw new ArgumentException($"The extension '{ext}' does not name the output format {o.Format.ToString().ToLowerInvariant()}; " +
                $"use {(o.Format == ImageFormat.Jpeg ? "jpg or jpeg" : own)}, or leave Extension unset.");
    }

    /// <summary>A prefix is part of a file name: no folder separators, no "..", no characters a file name cannot hold.</summary>
    internal static void CheckPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        char[] bad = [.. Path.GetInvalidFileNameChars(), '/', '\\', ':'];
        if (prefix.IndexOfAny(bad) >= 0 || prefix.Contains("..", StringComparison.Ordinal) || prefix.Any(char.IsControl))
            throw new ArgumentException($"--prefix '{prefix}' is not a file-name part: it may not contain '/', '\\', ':', '..' or control " +
                "characters (outputs are named {stem}_{prefix}_{variant}.{format} next to their source's mirror). Use letters, digits, '-' or '_'.");
    }

    /// <summary>
    /// Defence in depth at the write site: the target must lie inside OUT once links in its folder are resolved, must
    /// not be a link itself, and must not be an input.
    /// </summary>
    private static void CheckWriteTarget(string full, string dst, HashSet<string> inputs)
    {
        string folder = Path.GetDirectoryName(full)!;
        string realFolder = RealFolder(folder), realDst = RealFolder(dst);
        string name = Path.GetFileName(full);
        string real = Path.Combine(realFolder, name);
        if (!(realFolder == realDst || realFolder.StartsWith(realDst + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            throw new IOException($"Refusing to write '{full}': it resolves to '{real}', outside the output folder '{dst}'.");
        if (inputs.Contains(full) || inputs.Contains(real))
            throw new IOException($"Refusing to overwrite the input file '{real}'.");
        if (new FileInfo(full).LinkTarget is not null)
            throw new IOException($"Refusing to write '{full}': it is a symbolic link (it could point at an input); remove it first.");
    }

    /// <summary>The folder with every symbolic link along its path resolved.</summary>
    private static string RealFolder(string folder)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)); // the root keeps its separator
        string? parent = Path.GetDirectoryName(full);
        if (parent is null) return full; // the root
        string resolvedParent = RealFolder(parent);
        string here = Path.Combine(resolvedParent, Path.GetFileName(full));
        var info = new DirectoryInfo(here);
        if (info.LinkTarget is null) return here;
        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? here : RealFolder(target.FullName);
    }

    private static FileStream LockOutput(string dst)
    {
        string path = Path.Combine(dst, ".mirage-augment.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException e)
        {
            throw new IOException($"Another `mirage augment` is writing into '{dst}' (it holds '{path}'); wait for it, or choose another output folder.", e);
        }
    }

    /// <summary>FNV-1a 64 of the relative path with '/' separators: the sample's identity, stable when files are added.</summary>
    internal static ulong StableId(string relativePath)
    {
        ulong h = 0xcbf29ce484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(relativePath.Replace('\\', '/')))
        {
            h ^= b;
            h *= 0x100000001b3UL;
        }
        return h;
    }

    private static string ManifestLine(string source, string output, int variant, AugmentOptions o, string parameters)
    {
        using var ms = new MemoryStream();
        // Names are written as UTF-8 (not \uXXXX escapes), so the manifest reads as the file names do.
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = Utf8JsonEncoder.Instance }))
        {
            w.WriteStartObject();
            w.WriteString("source", source.Replace('\\', '/'));
            w.WriteString("output", output.Replace('\\', '/'));
            w.WriteNumber("variant", variant);
            w.WriteNumber("seed", o.Seed);
            if (o.TargetSize is { } t)
            {
                w.WriteStartArray("target_size");
                w.WriteNumberValue(t.Height);
                w.WriteNumberValue(t.Width);
                w.WriteEndArray();
                w.WriteString("interpolation", o.Interpolation.ToString().ToLowerInvariant());
                w.WriteBoolean("keep_aspect_ratio", o.KeepAspectRatio);
            }
            w.WriteString("color_mode", o.ColorMode.ToString().ToLowerInvariant());
            o.ManifestFields?.Invoke(w);
            w.WritePropertyName("params");
            w.WriteRawValue(parameters);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    internal static string? OutputOf(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.TryGetProperty("output", out var o) ? o.GetString() : null;
        }
        catch (JsonException)
        {
            return null; // a line cut short by a crash: that output is redone
        }
    }
}
