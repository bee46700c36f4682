using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mirage.Codecs;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Photometric;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Data;

/// <summary>
/// Builds one batch of a <see cref="BatchIterator{T}"/>: per sample, load → draw its tape from its stream → run the
/// plan → write its slot, under the bad-file policy. Knows nothing of order, threads or prefetch (the
/// <see cref="BatchLoader{T}"/> does); safe to call from several threads at once.
/// </summary>
internal sealed class BatchBuilder<T> where T : unmanaged
{
    private readonly DataSource _source;
    private readonly ISampleAugmenter? _augmenter;
    private readonly TransformPipeline? _pipeline;
    private readonly FlowOptions _options;
    private readonly SaveToDirWriter? _saver;
    private readonly BatchBufferPool<T> _buffers;
    private readonly MirageConfiguration _configuration;
    /// <summary>The configuration's <see cref="MirageConfiguration.FusedPath"/>, read once.</summary>
    private readonly bool _fusedPath;
    private readonly ConcurrentDictionary<int, ConcurrentQueue<BadFile>> _skippedPerEpoch = new();
    private readonly ConcurrentDictionary<int, string> _knownBad = new();
    private readonly ConcurrentQueue<BadFile> _allSkipped = new();
    private long _fusedSamples;

    public BatchBuilder(DataSource source, ISampleAugmenter? augmenter, FlowOptions options, ImageInfo sampleShape, DataFormat format, ulong seed,
        MirageConfiguration configuration, int workers)
    {
        _configuration = configuration;
        _fusedPath = configuration.FusedPath;
        _source = source;
        _augmenter = augmenter;
        _pipeline = augmenter?.Pipeline;
        _options = options;
        SampleShape = sampleShape;
        DataFormat = format;
        Seed = seed;
        // One batch's values (no more than the dataset holds); batches alive at once: prefetched, being built, and held
        // by a consumer or two.
        long batchValues = (long)Math.Min(options.BatchSize, Math.Max(1, source.Count)) * sampleShape.Length;
        _buffers = new BatchBufferPool<T>((int)Math.Min(Array.MaxLength, batchValues), keep: options.Prefetch + workers + 2);
        if (options.SaveToDir is { } dir)
            _saver = new SaveToDirWriter(dir, options.SavePrefix, options.SaveFormat, source.IsInputFile, options.SaveJpegQuality);
    }

    public ImageInfo SampleShape { get; }
    public DataFormat DataFormat { get; }
    public ulong Seed { get; }
    public IReadOnlyCollection<BadFile> SkippedFiles => _allSkipped;
    public long FusedSamples => Interlocked.Read(ref _fusedSamples);
    public BatchBufferPool<T> Buffers => _buffers;

    /// <summary>The files skipped in <paramref name="epoch"/>, by dataset position, forgotten once taken.</summary>
    public BadFile[] TakeSkipped(int epoch) =>
        _skippedPerEpoch.TryRemove(epoch, out var q) ? q.OrderBy(b => b.Index).ToArray() : [];

    /// <summary>
    /// Batch <paramref name="batchIndex"/> of <paramref name="epoch"/>, whose samples are
    /// <paramref name="order"/>[batchIndex × batch size …]. <paramref name="neverEmpty"/>: see
    /// <see cref="BatchIterator{T}.GetBatch"/>. <paramref name="cancellationToken"/> is checked before every sample; on
    /// cancellation the half-built batch goes back to the pool.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the per-sample loop: optimized from the first batch
    public Batch<T> Build(int epoch, int batchIndex, int[] order, bool neverEmpty, CancellationToken cancellationToken)
    {
        int samples = order.Length, batchSize = _options.BatchSize;
        int start = batchIndex * batchSize, count = Math.Min(batchSize, samples - start);
        var labels = _source.Labels;
        var batch = new Batch<T>(epoch, batchIndex, count, SampleShape, DataFormat, labels.Mode, _buffers, _configuration.FloatPool);
        using var scratch = new SampleScratch(_configuration);
        try
        {
            foreach (var o in labels.Outputs) batch.AddOutput(o.Name, o.Width, extra: false);
            foreach (var o in labels.ExtraInputs) batch.AddOutput(o.Name, o.Width, extra: true);
            if (labels.SampleWeights is not null) batch.AddWeights();
            var layout = DataFormat;
            int good = 0;
            for (int i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int index = order[start + i];
                if (Write(index, epoch, batch.Sample(good), layout, scratch)) batch.IndexBuffer[good++] = index;
            }
            if (good == 0 && count > 0 && neverEmpty)
            {
                // Every file was skipped: the samples that follow in the epoch's order stand in (see GetBatch).
                for (int k = 0; k < samples - count && good < count; k++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int index = order[(start + count + k) % samples];
                    if (Write(index, epoch, batch.Sample(good), layout, scratch)) batch.IndexBuffer[good++] = index;
                }
                if (good == 0)
                    throw new MirageException($"Batch {batchIndex} of epoch {epoch} has nothing to hold: none of the epoch's {samples} files " +
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
    private bool Write(int index, int epoch, Span<T> slot, DataFormat layout, SampleScratch scratch)
    {
        if (_pipeline is not null) return PipelineSample(index, epoch, slot, layout, scratch);
        if (_augmenter is null && _source.ProvidesBytes && _fusedPath && _saver is null)
        {
            if (!LoadSampleBytes(index, epoch, out var bytes)) return false;
            using (bytes) WriteBytes(bytes!, slot, layout);
            Interlocked.Increment(ref _fusedSamples);
            return true;
        }
        var x = scratch.Input(_source.SampleShape);
        if (!LoadSample(index, epoch, x)) return false;
        if (_augmenter is not null)
        {
            var random = StreamKeys.Sample(Seed, epoch, index);
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
        var hashStream = StreamKeys.SaveName(Seed, epoch, index);
        _saver.Save(x, index, hashStream.NextInt(10_000_000));
    }

    /// <summary>
    /// One sample through the pipeline: its tape is drawn from (seed, epoch, index), then run from the decoded bytes
    /// straight into the batch slot (<see cref="TransformPipeline.Run(ParameterTape, Image{byte}, Span{float}, DataFormat)"/>:
    /// the route its precision asks for, the fused plan on the byte route), or from floats for in-memory sources.
    /// False when the file was skipped as bad.
    /// </summary>
    private bool PipelineSample(int index, int epoch, Span<T> slot, DataFormat layout, SampleScratch scratch)
    {
        var random = StreamKeys.Sample(Seed, epoch, index);
        var tape = _pipeline!.Sample(ref random, _source.SampleShape, scratch.Tape);
        if (tape.Output != SampleShape)
            throw new MirageException(
                $"Sample {index} came out of the pipeline as {tape.Output}, but the batch holds {SampleShape} images (the pipeline's " +
                $"output for {_source.SampleShape} inputs, drawn once when the iterator was made). Every path through the pipeline " +
                "must give one size: give every random_resized_crop the same size.");
        if (_source.ProvidesBytes)
        {
            if (!LoadSampleBytes(index, epoch, out var bytes)) return false;
            using (bytes)
            {
                // FusedPath = false and save_to_dir (which saves the float image) take the float route where it is a choice.
                bool allowFusing = _fusedPath && _saver is null;
                bool byteRoute;
                if (_saver is not null)
                {
                    var x = scratch.Output(SampleShape);
                    byteRoute = TapeRunner.Run(tape, bytes!, x.Span, DataFormat.ChannelsLast, scratch.Run, allowFusing);
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
        var raw = scratch.Input(_source.SampleShape);
        if (!LoadSample(index, epoch, raw)) return false;
        var y = TapeRunner.Floats(tape, raw, scratch.Run);
        WriteSample(y, slot);
        Save(y, index, epoch);
        return true;
    }

    /// <summary>What one batch build reuses from sample to sample: the tape, the plan's intermediate images and kernel
    /// settings, the float input and output (from the configuration's pools).</summary>
    private sealed class SampleScratch(MirageConfiguration configuration) : IDisposable
    {
        private Image<float>? _input, _output;
        public ParameterTape Tape { get; } = new();
        public RunScratch Run { get; } = new(configuration);

        public Image<float> Input(ImageInfo info) => Reuse(ref _input, info);
        public Image<float> Output(ImageInfo info) => Reuse(ref _output, info);

        private Image<float> Reuse(ref Image<float>? image, ImageInfo info)
        {
            if (image is null || image.Info != info)
            {
                image?.Dispose();
                image = Image<float>.Rent(info, configuration.FloatPool);
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

    // ------------------------------------------------------------------ bad-file policy

    private bool LoadSample(int index, int epoch, Image<float> dst)
    {
        if (KnownBad(index, epoch)) return false;
        try
        {
            _source.Load(index, dst);
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
            bytes = _source.LoadBytes(index);
        }
        catch (Exception e) when (BadFiles.IsBadInput(e))
        {
            Bad(index, epoch, e);
            return false;
        }
        if (bytes.Info != _source.SampleShape)
        {
            var info = bytes.Info;
            bytes.Dispose();
            throw new InvalidOperationException($"{_source.GetType().Name} loaded sample {index} as {info}, expected {_source.SampleShape}.");
        }
        return true;
    }

    private bool KnownBad(int index, int epoch)
    {
        if (!_knownBad.TryGetValue(index, out var knownReason)) return false;
        Skip(new BadFile(_source.FilePath(index) ?? $"sample {index}", knownReason, index, epoch), log: false);
        return true;
    }

    private void Bad(int index, int epoch, Exception e)
    {
        var path = _source.FilePath(index) ?? $"sample {index}";
        var described = BadFiles.Describe(e, path);
        if (_options.OnBadFile == BadFilePolicy.Throw) throw described;
        _knownBad[index] = described.Reason;
        Skip(new BadFile(path, described.Reason, index, epoch), log: true);
    }

    private void Skip(BadFile bad, bool log)
    {
        _skippedPerEpoch.GetOrAdd(bad.Epoch, _ => new ConcurrentQueue<BadFile>()).Enqueue(bad);
        _allSkipped.Enqueue(bad);
        if (log) _options.Log?.WriteLine($"mirage: skipped '{bad.Path}': {bad.Reason}");
    }

    // ------------------------------------------------------------------ layout

    private static void WriteBytes(Image<byte> src, Span<T> dst, DataFormat layout)
    {
        if (typeof(T) == typeof(float)) Normalize.ToFloat(src, MemoryMarshal.Cast<T, float>(dst), layout, [1f], [0f]);
        else TapeRunner.CopyOut(src, MemoryMarshal.Cast<T, byte>(dst), layout);
    }

    private void WriteSample(Image<float> x, Span<T> dst)
    {
        if (typeof(T) == typeof(float))
        {
            var d = MemoryMarshal.Cast<T, float>(dst);
            if (DataFormat == DataFormat.ChannelsLast) x.Span.CopyTo(d);
            else x.CopyToChannelsFirst(d);
            return;
        }
        var bytes = MemoryMarshal.Cast<T, byte>(dst);
        if (DataFormat == DataFormat.ChannelsLast)
        {
            ImageConvert.ToByte(x.Span, bytes);
            return;
        }
        using var tmp = new Image<byte>(x.Info);
        ImageConvert.ToByte(x.Span, tmp.Span);
        tmp.CopyToChannelsFirst(bytes);
    }
}
