using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Mirage.Codecs;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Data;

/// <summary>
/// Streams batches from a <see cref="DataSource"/>: shuffled per epoch, augmented, standardized, laid out as one block.
/// <para>Determinism: the epoch's order comes from (seed, epoch) and each sample's random stream from
/// (seed, epoch, dataset position), so the bytes of every batch are the same with 0, 1, 2 or 8 workers, any prefetch
/// depth and any number of consumers.</para>
/// <para>Threads: <see cref="TryNext(out Batch{T})"/> may be called from several threads at once; each batch goes to
/// exactly one caller, so every sample is handed out exactly once per epoch. Worker threads build at most
/// <see cref="FlowOptions.Prefetch"/> batches ahead of the consumers, so memory stays at about
/// batch size × (prefetch + workers + consumers) samples, whatever the size of the dataset.</para>
/// <para>Enumeration: the iterator is one cursor, as Keras's is. One <c>foreach</c> or <c>await foreach</c> (over
/// <see cref="ReadAllAsync"/>) at a time:
/// a second enumeration while the first has not finished (or been disposed) throws
/// <see cref="InvalidOperationException"/> instead of silently splitting the batches with it. An enumeration started
/// after an earlier one ended continues where that one stopped (the next batch not yet handed out). To share batches
/// among several consumers, call <see cref="TryNext(out Batch{T})"/> from each.</para>
/// </summary>
/// <typeparam name="T">The batch's value type: float (standardized values) or byte (rounded and clipped to 0..255).</typeparam>
public sealed class BatchIterator<T> : IEnumerable<Batch<T>>, IDisposable where T : unmanaged
{
    private readonly FlowOptions _options;
    private readonly BatchBuilder<T> _builder;
    private readonly BatchLoader<T> _loader;
    private int _enumerating;

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
        var pipeline = augmenter?.Pipeline;
        SampleShape = pipeline is null ? source.SampleShape : OutputShape(pipeline, source.SampleShape);
        DataFormat = _options.DataFormat ?? generatorFormat ?? DataFormat.ChannelsLast;
        Seed = _options.Seed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        Configuration = _options.Configuration ?? MirageConfiguration.Default;
        int workers = Configuration.Workers(_options.Workers);
        _builder = new BatchBuilder<T>(source, augmenter, _options, SampleShape, DataFormat, Seed, Configuration, workers);
        _loader = new BatchLoader<T>(this, workers == _options.Workers ? _options : _options with { Workers = workers }, Samples, Length, Seed,
            (epoch, batchIndex, order, token) => _builder.Build(epoch, batchIndex, order, neverEmpty: false, token), EpochDelivered);
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
    public IReadOnlyCollection<BadFile> SkippedFiles => _builder.SkippedFiles;

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
    public ReadOnlySpan<int> EpochOrder(int epoch) => _loader.Order(epoch);

    /// <summary>
    /// Batch <paramref name="batchIndex"/> of <paramref name="epoch"/>, built on this thread (Keras's __getitem__).
    /// The same arguments give the same bytes whatever else has been asked.
    /// <para>Never empty: under <see cref="BadFilePolicy.Skip"/> a batch whose every file is unreadable takes, in their
    /// place, the next readable samples in the epoch's order (wrapping around; as many as the batch would have held,
    /// each with its own labels and its own (seed, epoch, index) augmentation), so a loader indexing batches one sample
    /// at a time never receives nothing. A batch that lost only some of its files keeps the rest (see
    /// <see cref="Batch{T}.Count"/>). When no file of the epoch can be read it throws <see cref="MirageException"/>.
    /// (<see cref="TryNext(out Batch{T})"/> and enumeration skip an empty batch instead.)</para>
    /// </summary>
    /// <param name="batchIndex">The batch, 0 to <see cref="Length"/> − 1.</param>
    /// <param name="epoch">The epoch whose order and random streams are used.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchIndex"/> is out of range.</exception>
    /// <exception cref="ImageDecodeException">A file is unreadable and the policy is <see cref="BadFilePolicy.Throw"/>.</exception>
    public Batch<T> GetBatch(int batchIndex, int epoch = 0)
    {
        if ((uint)batchIndex >= (uint)Length)
            throw new ArgumentOutOfRangeException(nameof(batchIndex), batchIndex, $"Asked for batch {batchIndex} but an epoch has {Length}.");
        return _builder.Build(epoch, batchIndex, _loader.Order(epoch), neverEmpty: true, CancellationToken.None);
    }

    /// <summary>The next batch in sequence (epoch after epoch); false once <see cref="FlowOptions.Epochs"/> are done.
    /// Safe to call from several threads. A bad file under <see cref="BadFilePolicy.Throw"/> throws here.</summary>
    /// <param name="batch">The batch (owned by the caller: dispose it), or null at the end.</param>
    /// <exception cref="ImageDecodeException">A file is unreadable and the policy is <see cref="BadFilePolicy.Throw"/>.</exception>
    /// <exception cref="MirageException">An endless iterator met a whole epoch of unreadable files.</exception>
    /// <exception cref="ObjectDisposedException">The iterator has been disposed.</exception>
    public bool TryNext([NotNullWhen(true)] out Batch<T>? batch) => TryNext(out batch, CancellationToken.None);

    /// <summary>
    /// <see cref="TryNext(out Batch{T})"/>, cancellable while it waits for a worker and between the samples of a batch
    /// it builds itself (without workers).
    /// <para>On cancellation nothing is lost: the batch it was getting is handed to the next call instead, the workers
    /// stop (a batch they were building is abandoned) and the batches they built ahead go back to the pool. The iterator
    /// stays usable: the next call starts the workers again and continues with the same batches, byte for byte.</para>
    /// </summary>
    /// <param name="batch">The batch (owned by the caller: dispose it), or null at the end.</param>
    /// <param name="cancellationToken">Stops the wait or the build.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ImageDecodeException">A file is unreadable and the policy is <see cref="BadFilePolicy.Throw"/>.</exception>
    /// <exception cref="MirageException">An endless iterator met a whole epoch of unreadable files.</exception>
    /// <exception cref="ObjectDisposedException">The iterator has been disposed.</exception>
    public bool TryNext([NotNullWhen(true)] out Batch<T>? batch, CancellationToken cancellationToken)
    {
        try
        {
            // A batch whose every file was skipped (OnBadFile = Skip) is never handed out: the next one is taken instead.
            // A whole epoch of them means nothing is readable: an endless iterator would loop forever, so it says so; a
            // finite one just ends (its SkippedFiles say why).
            for (int empty = 0; ; empty++)
            {
                if (!_loader.TryNext(out batch, cancellationToken)) return false;
                if (batch!.Count > 0) return true;
                batch.Dispose();
                if (_options.Epochs is null && empty + 1 >= Length)
                    throw new MirageException($"Every file of a whole epoch ({Samples} files) was unreadable and skipped; see SkippedFiles for why.");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _loader.StopWorkers();
            throw;
        }
    }

    /// <summary>The next batch; throws <see cref="InvalidOperationException"/> when the epochs are done.</summary>
    /// <returns>A batch the caller owns (dispose it to return its buffers).</returns>
    /// <exception cref="InvalidOperationException">All <see cref="FlowOptions.Epochs"/> have been iterated.</exception>
    /// <exception cref="ImageDecodeException">A file is unreadable and the policy is <see cref="BadFilePolicy.Throw"/>.</exception>
    public Batch<T> Next() => TryNext(out var b) ? b : throw new InvalidOperationException($"All {_options.Epochs} epoch(s) have been iterated.");

    /// <summary>Enumerates <see cref="TryNext(out Batch{T})"/>'s batches until the epochs are done (forever when Epochs is
    /// null), from the first batch not yet handed out.</summary>
    /// <exception cref="InvalidOperationException">Another enumeration of this iterator has not finished (see the class
    /// remarks).</exception>
    public IEnumerator<Batch<T>> GetEnumerator()
    {
        BeginEnumeration();
        return new Enumerator(this);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// The batches for <c>await foreach</c>, as <see cref="GetEnumerator"/> gives them (one enumeration at a time: the
    /// first MoveNextAsync of a second one throws; from the first batch not yet handed out). Each batch is built, or
    /// waited for, on a thread-pool thread. <paramref name="cancellationToken"/> (or the one <c>WithCancellation</c>
    /// passes) is honoured between batches, while waiting for a worker and between the samples of a batch; on
    /// cancellation the enumeration throws <see cref="OperationCanceledException"/>, the workers stop and their
    /// prefetched batches return to the pool, and a later enumeration resumes with the same batches, byte for byte.
    /// </summary>
    /// <remarks>A method, not <see cref="IAsyncEnumerable{T}"/> on the iterator itself: a type that is both enumerable
    /// and async-enumerable makes LINQ calls such as <c>iterator.Take(3)</c> ambiguous.</remarks>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <exception cref="InvalidOperationException">Another enumeration of this iterator has not finished.</exception>
    public async IAsyncEnumerable<Batch<T>> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BeginEnumeration();
        try
        {
            while (true)
            {
                // The token goes to TryNext, not Task.Run: TryNext stops the workers when it sees it cancelled.
                var batch = await Task.Run(() => TryNext(out var b, cancellationToken) ? b : null).ConfigureAwait(false);
                if (batch is null) yield break;
                yield return batch;
            }
        }
        finally
        {
            EndEnumeration();
        }
    }

    private void BeginEnumeration()
    {
        if (Interlocked.CompareExchange(ref _enumerating, 1, 0) != 0)
            throw new InvalidOperationException(
                "This BatchIterator is already being enumerated (a foreach or await foreach that has not finished). Both would " +
                "take batches from the one cursor, each seeing part of every epoch. Finish or dispose the first enumeration, or, " +
                "to hand batches to several consumers, call TryNext from each.");
    }

    private void EndEnumeration() => Volatile.Write(ref _enumerating, 0);

    private sealed class Enumerator(BatchIterator<T> owner) : IEnumerator<Batch<T>>
    {
        private Batch<T>? _current;
        private bool _ended;

        public Batch<T> Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");
        object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            ObjectDisposedException.ThrowIf(_ended, this);
            return owner.TryNext(out _current);
        }

        public void Reset() => throw new NotSupportedException("A BatchIterator is one cursor; it cannot go back.");

        public void Dispose()
        {
            if (_ended) return;
            _ended = true;
            owner.EndEnumeration();
        }
    }

    private void EpochDelivered(int epoch)
    {
        var skipped = _builder.TakeSkipped(epoch);
        var summary = new EpochSummary(epoch, Length, Samples - skipped.Length, skipped);
        if (skipped.Length > 0) _options.Log?.WriteLine($"mirage: {summary}");
        EpochEnded?.Invoke(summary);
    }

    /// <summary>
    /// Samples built so far on the byte route (decoded bytes through the pipeline's fused plan, the last pass writing
    /// the batch slot, no float image); the others took the float route. Tells whether a configuration gets the fast path.
    /// </summary>
    public long FusedSamples => _builder.FusedSamples;

    /// <summary>
    /// How this iterator runs: <see cref="FlowOptions.Configuration"/>, else the generator's, else
    /// <see cref="MirageConfiguration.Default"/>. With <see cref="MirageConfiguration.FusedPath"/> off, pipelines of
    /// <see cref="PipelinePrecision.FloatWithFusedWarps"/> (ImageDataGenerator's) take the float route for every sample,
    /// and flows without augmentation convert on the float image (a <see cref="PipelinePrecision.Bytes"/> pipeline
    /// computes on bytes either way: that is its meaning).
    /// </summary>
    public MirageConfiguration Configuration { get; }

    /// <summary>The pool this iterator's batches rent their image blocks from.</summary>
    internal BatchBufferPool<T> Buffers => _builder.Buffers;

    /// <summary>Stops the workers and returns the batches they built ahead to the pool.</summary>
    /// <remarks>Cancels the batch a worker has in hand. Batches already handed out stay valid. Safe to call more than
    /// once; afterwards <see cref="TryNext(out Batch{T})"/> throws <see cref="ObjectDisposedException"/>.</remarks>
    public void Dispose()
    {
        _loader.Dispose();
        _builder.Buffers.Clear();
    }
}
