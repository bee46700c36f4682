using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Mirage.Codecs;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Photometric;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mirage.Data;

/// <summary>
/// Streams batches from a <see cref="DataSource"/>: shuffled per epoch, augmented, standardized, laid out as one block.
/// <para>Determinism: the epoch's order comes from (seed, epoch) and each sample's random stream from
/// (seed, epoch, dataset position), so the bytes of every batch are the same with 0, 1, 2 or 8 workers, any prefetch
/// depth and any number of consumers.</para>
/// <para>Threads: <see cref="TryNext"/> (and enumeration) may be called from several threads at once; each batch goes to
/// exactly one caller, so every sample is handed out exactly once per epoch. Worker threads build at most
/// <see cref="FlowOptions.Prefetch"/> batches ahead of the consumers, so memory stays at about
/// batch size × (prefetch + workers + consumers) samples, whatever the size of the dataset.</para>
/// </summary>
/// <typeparam name="T">The batch's value type: float (standardized values) or byte (rounded and clipped to 0..255).</typeparam>
public sealed class BatchIterator<T> : IEnumerable<Batch<T>>, IDisposable where T : unmanaged
{
    private const ulong SaveHashSalt = 0x5341564548415348UL;

    private readonly ISampleAugmenter? _augmenter;
    private readonly TransformPipeline? _pipeline;
    private readonly FlowOptions _options;
    private readonly SaveToDirWriter? _saver;
    private readonly object _gate = new();
    private readonly Dictionary<long, (Batch<T>? Batch, ExceptionDispatchInfo? Error)> _ready = [];
    private readonly Dictionary<int, int> _deliveredPerEpoch = [];
    private readonly ConcurrentDictionary<int, ConcurrentQueue<BadFile>> _skippedPerEpoch = new();
    private readonly ConcurrentDictionary<int, string> _knownBad = new();
    private readonly ConcurrentQueue<BadFile> _allSkipped = new();
    private readonly object _orderGate = new();
    private (int Epoch, int[] Order)[] _orders = [];
    private Thread[]? _workers;
    private long _nextClaim, _nextProduce, _fusedSamples;
    private readonly BatchBufferPool<T> _buffers;
    private bool _stopping, _disposed;

    /// <summary>An iterator over <paramref name="source"/>; nothing is loaded until the first batch is asked for (workers
    /// start then).</summary>
    /// <param name="source">The samples.</param>
    /// <param name="augmenter">Draws, applies and standardizes each sample, or null to pass samples through unchanged.</param>
    /// <param name="options">Batching, shuffle, seed, workers, subset, bad-file policy and save_to_dir; null for Keras's
    /// defaults (batch 32, shuffled, endless).</param>
    /// <param name="generatorFormat">The generator's data_format, used when <see cref="FlowOptions.DataFormat"/> is null.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor byte.</exception>
    /// <exception cref="ArgumentOutOfRangeException">BatchSize or Prefetch is below 1, or Workers or Epochs is negative.</exception>
    public BatchIterator(DataSource source, ISampleAugmenter? augmenter, FlowOptions? options = null, DataFormat? generatorFormat = null)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(byte))
            throw new NotSupportedException($"Batches hold float or byte values, not {typeof(T).Name}.");
        _options = options ?? new FlowOptions();
        // C# names here: these options are only set from C# (Keras's snake_case names belong to JSON configs).
        if (_options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), _options.BatchSize, $"FlowOptions.BatchSize must be at least 1; got {_options.BatchSize}.");
        if (_options.Workers < 0) throw new ArgumentOutOfRangeException(nameof(options), _options.Workers, $"FlowOptions.Workers cannot be negative; got {_options.Workers}.");
        if (_options.Prefetch < 1) throw new ArgumentOutOfRangeException(nameof(options), _options.Prefetch, $"FlowOptions.Prefetch must be at least 1; got {_options.Prefetch}.");
        if (_options.Epochs is < 0) throw new ArgumentOutOfRangeException(nameof(options), _options.Epochs, $"FlowOptions.Epochs cannot be negative; got {_options.Epochs}.");
        Source = source;
        _augmenter = augmenter;
        _pipeline = augmenter?.Pipeline;
        SampleShape = _pipeline is null ? source.SampleShape : OutputShape(_pipeline, source.SampleShape);
        DataFormat = _options.DataFormat ?? generatorFormat ?? DataFormat.ChannelsLast;
        Seed = _options.Seed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        // One batch's values (no more than the dataset holds); batches alive at once: prefetched, being built, and held
        // by a consumer or two.
        long batchValues = (long)Math.Min(_options.BatchSize, Math.Max(1, source.Count)) * SampleShape.Length;
        _buffers = new BatchBufferPool<T>((int)Math.Min(Array.MaxLength, batchValues), keep: _options.Prefetch + _options.Workers + 2);
        if (_options.SaveToDir is { } dir)
            _saver = new SaveToDirWriter(dir, _options.SavePrefix, _options.SaveFormat, source.IsInputFile, _options.SaveJpegQuality);
    }

    /// <summary>The samples this iterator batches.</summary>
    public DataSource Source { get; }
    /// <summary>Layout of each batch's X: the options', else the generator's, else channels-last.</summary>
    public DataFormat DataFormat { get; }
    /// <summary>The seed in force (drawn at construction when none was given; record it to reproduce a run).</summary>
    public ulong Seed { get; }
    /// <summary>Samples per batch (the last batch of an epoch may hold fewer); Keras's batch_size.</summary>
    public int BatchSize => _options.BatchSize;
    /// <summary>Keras's n: samples in the (sub)set.</summary>
    public int Samples => Source.Count;
    /// <summary>Batches per epoch: ceil(n / batch_size) (Keras's len()).</summary>
    public int Length => StepsPerEpochFor(Samples, BatchSize);
    /// <summary>The same as <see cref="Length"/>: the steps_per_epoch to pass to a training loop.</summary>
    public int StepsPerEpoch => Length;
    /// <summary>The same as <see cref="Samples"/>.</summary>
    public int SamplesPerEpoch => Samples;
    /// <summary>
    /// Height × width × channels of every sample in a batch: the source's (files: target_size, the size they are loaded
    /// at), or, with a pipeline, what the pipeline makes of it (a random_resized_crop sets its own size).
    /// </summary>
    public ImageInfo SampleShape { get; }

    /// <summary>The pipeline's output for an input of <paramref name="input"/> (drawn once: every sample must agree).</summary>
    private static ImageInfo OutputShape(TransformPipeline pipeline, ImageInfo input)
    {
        var random = new RandomStream(0);
        return pipeline.Sample(ref random, input).Output;
    }

    /// <summary>Steps that cover <paramref name="samples"/> once: ceil(samples / batchSize).</summary>
    /// <param name="samples">Samples in the epoch; ≥ 0.</param>
    /// <param name="batchSize">Samples per batch; ≥ 1.</param>
    public static int StepsPerEpochFor(int samples, int batchSize) => (int)(((long)samples + batchSize - 1) / batchSize);

    /// <summary>Raised (on the consumer thread that took an epoch's last batch) when an epoch has been handed out.</summary>
    public event Action<EpochSummary>? EpochEnded;

    /// <summary>The files skipped so far under <see cref="BadFilePolicy.Skip"/> (a collection, one entry per file and
    /// epoch, in the order met; its Count is how many).</summary>
    public IReadOnlyCollection<BadFile> SkippedFiles => _allSkipped;

    // Keras's DirectoryIterator / DataFrameIterator attributes, when the source is files.
    /// <summary>Keras's filenames: each sample's path relative to the directory (empty for in-memory sources).</summary>
    public IReadOnlyList<string> Filenames => (Source as FileSource)?.Filenames ?? [];
    /// <summary>Keras's filepaths: each sample's full path (empty for in-memory sources).</summary>
    public IReadOnlyList<string> Filepaths => (Source as FileSource)?.Filepaths ?? [];
    /// <summary>Keras's class_indices: class name → index (empty without classes).</summary>
    public IReadOnlyDictionary<string, int> ClassIndices => (Source as FileSource)?.ClassIndices ?? new Dictionary<string, int>();
    /// <summary>Keras's classes: each sample's class index (empty for in-memory sources and multi-label tables).</summary>
    public IReadOnlyList<int> Classes => (Source as FileSource)?.Classes ?? [];

    /// <summary>The order in which <paramref name="epoch"/> visits the dataset (positions); identity without shuffle.</summary>
    /// <param name="epoch">The epoch, from 0.</param>
    /// <returns>A permutation of 0..Samples − 1 from (seed, epoch); a view of a cached array, do not keep it.</returns>
    public ReadOnlySpan<int> EpochOrder(int epoch) => Order(epoch);

    /// <summary>
    /// Batch <paramref name="batchIndex"/> of <paramref name="epoch"/>, built on this thread (Keras's __getitem__).
    /// The same arguments give the same bytes whatever else has been asked.
    /// <para>Never empty: under <see cref="BadFilePolicy.Skip"/> a batch whose every file is unreadable takes, in their
    /// place, the next readable samples in the epoch's order (wrapping around; as many as the batch would have held,
    /// each with its own labels and its own (seed, epoch, index) augmentation), so a loader indexing batches one sample
    /// at a time never receives nothing. A batch that lost only some of its files keeps the rest (see
    /// <see cref="Batch{T}.Count"/>). When no file of the epoch can be read it throws <see cref="MirageException"/>.
    /// (<see cref="TryNext"/> and enumeration skip an empty batch instead.)</para>
    /// </summary>
    /// <param name="batchIndex">The batch, 0 to <see cref="Length"/> − 1.</param>
    /// <param name="epoch">The epoch whose order and random streams are used.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchIndex"/> is out of range.</exception>
    /// <exception cref="ImageDecodeException">A file is unreadable and the policy is <see cref="BadFilePolicy.Throw"/>.</exception>
    public Batch<T> GetBatch(int batchIndex, int epoch = 0)
    {
        if ((uint)batchIndex >= (uint)Length)
            throw new ArgumentOutOfRangeException(nameof(batchIndex), batchIndex, $"Asked for batch {batchIndex} but an epoch has {Length}.");
        return Build(epoch, batchIndex, neverEmpty: true);
    }

    /// <summary>The next batch in sequence (epoch after epoch); false once <see cref="FlowOptions.Epochs"/> are done.
    /// Safe to call from several threads. A bad file under <see cref="BadFilePolicy.Throw"/> throws here.</summary>
    /// <param name="batch">The batch (owned by the caller: dispose it), or null at the end.</param>
    /// <exception cref="ImageDecodeException">A file is unreadable and the policy is <see cref="BadFilePolicy.Throw"/>.</exception>
    /// <exception cref="MirageException">An endless iterator met a whole epoch of unreadable files.</exception>
    /// <exception cref="ObjectDisposedException">The iterator has been disposed.</exception>
    public bool TryNext([NotNullWhen(true)] out Batch<T>? batch)
    {
        // A batch whose every file was skipped (OnBadFile = Skip) is never handed out: the next one is taken instead.
        // A whole epoch of them means nothing is readable: an endless iterator would loop forever, so it says so; a
        // finite one just ends (its SkippedFiles say why).
        for (int empty = 0; ; empty++)
        {
            if (!TryNextBuilt(out batch)) return false;
            if (batch.Count > 0) return true;
            batch.Dispose();
            if (_options.Epochs is null && empty + 1 >= Length)
                throw new MirageException($"Every file of a whole epoch ({Samples} files) was unreadable and skipped; see SkippedFiles for why.");
        }
    }

    private bool TryNextBuilt([NotNullWhen(true)] out Batch<T>? batch)
    {
        long seq;
        (Batch<T>? Batch, ExceptionDispatchInfo? Error) result = default;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Exhausted(_nextClaim))
            {
                batch = null;
                return false;
            }
            seq = _nextClaim++;
            if (_options.Workers > 0)
            {
                _workers ??= StartWorkers();
                Monitor.PulseAll(_gate);
                while (!_ready.Remove(seq, out result))
                {
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    Monitor.Wait(_gate);
                }
                Monitor.PulseAll(_gate); // a prefetch slot is free
            }
        }
        if (_options.Workers == 0) result = BuildCaught(seq);
        Delivered(seq);
        result.Error?.Throw();
        batch = result.Batch!;
        return true;
    }

    /// <summary>The next batch; throws <see cref="InvalidOperationException"/> when the epochs are done.</summary>
    /// <returns>A batch the caller owns (dispose it to return its buffers).</returns>
    /// <exception cref="InvalidOperationException">All <see cref="FlowOptions.Epochs"/> have been iterated.</exception>
    /// <exception cref="ImageDecodeException">A file is unreadable and the policy is <see cref="BadFilePolicy.Throw"/>.</exception>
    public Batch<T> Next() => TryNext(out var b) ? b : throw new InvalidOperationException($"All {_options.Epochs} epoch(s) have been iterated.");

    /// <summary>Enumerates <see cref="TryNext"/>'s batches until the epochs are done (forever when Epochs is null);
    /// enumerators share the iterator's position, so two loops split the batches between them.</summary>
    public IEnumerator<Batch<T>> GetEnumerator()
    {
        while (TryNext(out var batch)) yield return batch;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private bool Exhausted(long seq) => Length == 0 || (_options.Epochs is { } e && seq >= (long)e * Length);

    private Thread[] StartWorkers()
    {
        var threads = new Thread[_options.Workers];
        for (int i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"mirage-batch-{i}" };
            threads[i].Start();
        }
        return threads;
    }

    private void WorkerLoop()
    {
        while (true)
        {
            long seq;
            lock (_gate)
            {
                while (!_stopping && (Exhausted(_nextProduce) || _nextProduce >= _nextClaim + _options.Prefetch))
                    Monitor.Wait(_gate);
                if (_stopping) return;
                seq = _nextProduce++;
            }
            var result = BuildCaught(seq);
            lock (_gate)
            {
                if (_stopping)
                {
                    result.Batch?.Dispose();
                    return;
                }
                _ready[seq] = result;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private (Batch<T>? Batch, ExceptionDispatchInfo? Error) BuildCaught(long seq)
    {
        try
        {
            return (Build((int)(seq / Length), (int)(seq % Length)), null);
        }
        catch (Exception e)
        {
            return (null, ExceptionDispatchInfo.Capture(e));
        }
    }

    private void Delivered(long seq)
    {
        int epoch = (int)(seq / Length);
        bool ended;
        lock (_deliveredPerEpoch)
        {
            _deliveredPerEpoch.TryGetValue(epoch, out int n);
            ended = ++n == Length;
            if (ended) _deliveredPerEpoch.Remove(epoch);
            else _deliveredPerEpoch[epoch] = n;
        }
        if (!ended) return;
        var skipped = _skippedPerEpoch.TryRemove(epoch, out var q) ? q.OrderBy(b => b.Index).ToArray() : [];
        var summary = new EpochSummary(epoch, Length, Samples - skipped.Length, skipped);
        if (skipped.Length > 0) _options.Log?.WriteLine($"mirage: {summary}");
        EpochEnded?.Invoke(summary);
    }

    private int[] Order(int epoch)
    {
        lock (_orderGate)
        {
            foreach (var (e, order) in _orders)
                if (e == epoch) return order;
            var fresh = _options.Shuffle
                ? Permutation.Of(Samples, RandomStream.For(Seed, epoch, -1))
                : Enumerable.Range(0, Samples).ToArray();
            // Keep the two most recent epochs: consumers straddle an epoch boundary, never more.
            _orders = _orders.Length == 0 ? [(epoch, fresh)] : [_orders[^1], (epoch, fresh)];
            return fresh;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the per-sample loop: optimized from the first batch
    private Batch<T> Build(int epoch, int batchIndex, bool neverEmpty = false)
    {
        var order = Order(epoch);
        int start = batchIndex * BatchSize, count = Math.Min(BatchSize, Samples - start);
        var labels = Source.Labels;
        var batch = new Batch<T>(epoch, batchIndex, count, SampleShape, DataFormat, labels.Mode, _buffers);
        using var scratch = new SampleScratch();
        try
        {
            foreach (var o in labels.Outputs) batch.AddOutput(o.Name, o.Width, extra: false);
            foreach (var o in labels.ExtraInputs) batch.AddOutput(o.Name, o.Width, extra: true);
            if (labels.SampleWeights is not null) batch.AddWeights();
            var layout = DataFormat == DataFormat.ChannelsLast ? DataLayout.ChannelsLast : DataLayout.ChannelsFirst;
            int good = 0;
            for (int i = 0; i < count; i++)
            {
                int index = order[start + i];
                if (Write(index, epoch, batch.Sample(good), layout, scratch)) batch.IndexBuffer[good++] = index;
            }
            if (good == 0 && count > 0 && neverEmpty)
            {
                // Every file was skipped: the samples that follow in the epoch's order stand in (see GetBatch).
                for (int k = 0; k < Samples - count && good < count; k++)
                {
                    int index = order[(start + count + k) % Samples];
                    if (Write(index, epoch, batch.Sample(good), layout, scratch)) batch.IndexBuffer[good++] = index;
                }
                if (good == 0)
                    throw new MirageException($"Batch {batchIndex} of epoch {epoch} has nothing to hold: none of the epoch's {Samples} files " +
                        "could be read (all were skipped as unreadable; SkippedFiles says why).");
            }
            batch.Count = good;
            batch.Fill(labels);
            return batch;
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sample <paramref name="index"/> of <paramref name="epoch"/> into its batch slot; false when its file was skipped
    /// as bad. With a pipeline (every generator has one): <see cref="PipelineSample"/>. Without an augmenter, a file's
    /// bytes go straight into the slot (bit-identical to converting them first: bytes convert exactly). An augmenter of
    /// Keras parameters without a pipeline runs its Sample, Apply and Standardize on the float image.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Write(int index, int epoch, Span<T> slot, DataLayout layout, SampleScratch scratch)
    {
        if (_pipeline is not null) return PipelineSample(index, epoch, slot, layout, scratch);
        if (_augmenter is null && Source.ProvidesBytes && !DisableFusedPath && _saver is null)
        {
            if (!LoadSampleBytes(index, epoch, out var bytes)) return false;
            using (bytes) WriteBytes(bytes!, slot, layout);
            Interlocked.Increment(ref _fusedSamples);
            return true;
        }
        var x = scratch.Input(Source.SampleShape);
        if (!LoadSample(index, epoch, x)) return false;
        if (_augmenter is not null)
        {
            var random = RandomStream.For(Seed, epoch, index);
            var p = _augmenter.Sample(x.Info, ref random);
            var y = scratch.Output(x.Info);
            _augmenter.Apply(x, y, p);
            _augmenter.Standardize(y);
            x = y;
        }
        WriteSample(x, slot);
        Save(x, index, epoch);
        return true;
    }

    private void Save(Image<float> x, int index, int epoch)
    {
        if (_saver is null) return;
        var hashStream = RandomStream.For(Seed ^ SaveHashSalt, epoch, index);
        _saver.Save(x, index, hashStream.NextInt(10_000_000));
    }

    /// <summary>
    /// One sample through the pipeline: its tape is drawn from (seed, epoch, index), then run from the decoded bytes
    /// straight into the batch slot (<see cref="TransformPipeline.Run(ParameterTape, Image{byte}, Span{float}, DataLayout)"/>:
    /// the route its precision asks for, the fused plan on the byte route), or from floats for in-memory sources.
    /// False when the file was skipped as bad.
    /// </summary>
    private bool PipelineSample(int index, int epoch, Span<T> slot, DataLayout layout, SampleScratch scratch)
    {
        var random = RandomStream.For(Seed, epoch, index);
        var tape = _pipeline!.Sample(ref random, Source.SampleShape, scratch.Tape);
        if (tape.Output != SampleShape)
            throw new MirageException(
                $"Sample {index} came out of the pipeline as {tape.Output}, but the batch holds {SampleShape} images (the pipeline's " +
                $"output for {Source.SampleShape} inputs, drawn once when the iterator was made). Every path through the pipeline " +
                "must give one size: give every random_resized_crop the same size.");
        if (Source.ProvidesBytes)
        {
            if (!LoadSampleBytes(index, epoch, out var bytes)) return false;
            using (bytes)
            {
                // DisableFusedPath and save_to_dir (which saves the float image) take the float route where it is a choice.
                bool allowFusing = !DisableFusedPath && _saver is null;
                bool byteRoute;
                if (_saver is not null)
                {
                    var x = scratch.Output(SampleShape);
                    byteRoute = TapeRunner.Run(tape, bytes!, x.Span, DataLayout.ChannelsLast, scratch.Run, allowFusing);
                    WriteSample(x, slot);
                    Save(x, index, epoch);
                }
                else if (typeof(T) == typeof(float))
                    byteRoute = TapeRunner.Run(tape, bytes!, MemoryMarshal.Cast<T, float>(slot), layout, scratch.Run, allowFusing);
                else byteRoute = TapeRunner.Run(tape, bytes!, MemoryMarshal.Cast<T, byte>(slot), layout, scratch.Run, allowFusing);
                if (byteRoute) Interlocked.Increment(ref _fusedSamples);
            }
            return true;
        }
        var raw = scratch.Input(Source.SampleShape);
        if (!LoadSample(index, epoch, raw)) return false;
        var y = TapeRunner.Floats(tape, raw, scratch.Run);
        WriteSample(y, slot);
        Save(y, index, epoch);
        return true;
    }

    /// <summary>What one batch build reuses from sample to sample: the tape, the plan's intermediate images, the float input and output.</summary>
    private sealed class SampleScratch : IDisposable
    {
        private Image<float>? _input, _output;
        public ParameterTape Tape { get; } = new();
        public RunScratch Run { get; } = new();

        public Image<float> Input(ImageInfo info) => Reuse(ref _input, info);
        public Image<float> Output(ImageInfo info) => Reuse(ref _output, info);

        private static Image<float> Reuse(ref Image<float>? image, ImageInfo info)
        {
            if (image is null || image.Info != info)
            {
                image?.Dispose();
                image = new Image<float>(info);
            }
            return image;
        }

        public void Dispose()
        {
            Run.Dispose();
            _input?.Dispose();
            _output?.Dispose();
        }
    }

    private bool LoadSample(int index, int epoch, Image<float> dst)
    {
        if (KnownBad(index, epoch)) return false;
        try
        {
            Source.Load(index, dst);
            return true;
        }
        catch (Exception e) when (BadFiles.IsBadInput(e))
        {
            Bad(index, epoch, e);
            return false;
        }
    }

    private bool LoadSampleBytes(int index, int epoch, out Image<byte>? bytes)
    {
        bytes = null;
        if (KnownBad(index, epoch)) return false;
        try
        {
            bytes = Source.LoadBytes(index);
        }
        catch (Exception e) when (BadFiles.IsBadInput(e))
        {
            Bad(index, epoch, e);
            return false;
        }
        if (bytes.Info != Source.SampleShape)
        {
            var info = bytes.Info;
            bytes.Dispose();
            throw new InvalidOperationException($"{Source.GetType().Name} loaded sample {index} as {info}, expected {Source.SampleShape}.");
        }
        return true;
    }

    private bool KnownBad(int index, int epoch)
    {
        if (!_knownBad.TryGetValue(index, out var knownReason)) return false;
        Skip(new BadFile(Source.FilePath(index) ?? $"sample {index}", knownReason, index, epoch), log: false);
        return true;
    }

    private void Bad(int index, int epoch, Exception e)
    {
        var path = Source.FilePath(index) ?? $"sample {index}";
        var described = BadFiles.Describe(e, path);
        if (_options.OnBadFile == BadFilePolicy.Throw) throw described;
        _knownBad[index] = described.Reason;
        Skip(new BadFile(path, described.Reason, index, epoch), log: true);
    }

    /// <summary>
    /// Samples built so far on the byte route (decoded bytes through the pipeline's fused plan, the last pass writing
    /// the batch slot, no float image); the others took the float route. Tells whether a configuration gets the fast path.
    /// </summary>
    public long FusedSamples => Interlocked.Read(ref _fusedSamples);

    /// <summary>
    /// Turns the fused path off, e.g. to compare the two: pipelines of <see cref="PipelinePrecision.FloatWithFusedWarps"/>
    /// (ImageDataGenerator's) take the float route for every sample, and flows without augmentation convert on the
    /// float image. (A <see cref="PipelinePrecision.Bytes"/> pipeline computes on bytes either way: that is its meaning.)
    /// </summary>
    internal bool DisableFusedPath { get; set; }

    private static void WriteBytes(Image<byte> src, Span<T> dst, DataLayout layout)
    {
        if (typeof(T) == typeof(float)) Normalize.ToFloat(src, MemoryMarshal.Cast<T, float>(dst), layout, [1f], [0f]);
        else TapeRunner.CopyOut(src, MemoryMarshal.Cast<T, byte>(dst), layout);
    }

    private void Skip(BadFile bad, bool log)
    {
        _skippedPerEpoch.GetOrAdd(bad.Epoch, _ => new ConcurrentQueue<BadFile>()).Enqueue(bad);
        _allSkipped.Enqueue(bad);
        if (log) _options.Log?.WriteLine($"mirage: skipped '{bad.Path}': {bad.Reason}");
    }

    private void WriteSample(Image<float> x, Span<T> dst)
    {
        if (typeof(T) == typeof(float))
        {
            var d = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(dst);
            if (DataFormat == DataFormat.ChannelsLast) x.Span.CopyTo(d);
            else x.CopyToChannelsFirst(d);
            return;
        }
        var bytes = System.Runtime.InteropServices.MemoryMarshal.Cast<T, byte>(dst);
        if (DataFormat == DataFormat.ChannelsLast)
        {
            ImageConvert.ToByte(x.Span, bytes);
            return;
        }
        using var tmp = new Image<byte>(x.Info);
        ImageConvert.ToByte(x.Span, tmp.Span);
        tmp.CopyToChannelsFirst(bytes);
    }

    /// <summary>Stops the workers and returns the batches they built ahead to the pool.</summary>
    /// <remarks>Waits for the workers to finish the batch in hand. Batches already handed out stay valid. Safe to call
    /// more than once; afterwards <see cref="TryNext"/> throws <see cref="ObjectDisposedException"/>.</remarks>
    public void Dispose()
    {
        Thread[]? workers;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = _stopping = true;
            workers = _workers;
            Monitor.PulseAll(_gate);
        }
        if (workers is not null) foreach (var t in workers) t.Join();
        lock (_gate)
        {
            foreach (var r in _ready.Values) r.Batch?.Dispose();
            _ready.Clear();
        }
        _buffers.Clear();
    }
}

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

    /// <summary>
    /// Encodes and writes. Tests replace it for their own thread only (tests run in parallel, and a process-wide
    /// replacement caught other tests' saves).
    /// </summary>
    internal static Action<Image<byte>, string, ImageFormat, int> Encode
    {
        get => t_encode ?? DefaultEncode;
        set => t_encode = value == DefaultEncode ? null : value;
    }

    private static readonly Action<Image<byte>, string, ImageFormat, int> DefaultEncode = (img, path, fmt, quality) => ImageEncoder.Save(img, path, fmt, quality);
    [ThreadStatic] private static Action<Image<byte>, string, ImageFormat, int>? t_encode;

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
        string temp = Path.Combine(_dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Encode(image, temp, _format, _quality);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
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
