using System.Buffers;
using Mirage.Generation;
using Mirage.Imaging;

namespace Mirage.Data;

/// <summary>A per-sample float array of one batch (labels, an extra input, sample weights), from a pooled buffer.</summary>
public sealed class BatchArray
{
    private readonly float[] _buffer;

    internal BatchArray(string name, int width, float[] buffer, int count)
    {
        Name = name;
        Width = width;
        _buffer = buffer;
        Count = count;
    }

    /// <summary>What the array is: <c>y</c> (or the table column of a multi-output label), <c>x1</c>, <c>x2</c> … for extra
    /// inputs, <c>sample_weight</c>.</summary>
    public string Name { get; }
    /// <summary>Values per sample (e.g. the number of classes for one-hot labels, 1 for sparse ones).</summary>
    public int Width { get; }
    /// <summary>Samples held; the batch's <see cref="Batch{T}.Count"/>.</summary>
    public int Count { get; internal set; }
    /// <summary>All values, (Count, Width) row-major. A view of the batch's pooled buffer: invalid after the batch is
    /// disposed.</summary>
    public Span<float> Span => _buffer.AsSpan(0, Count * Width);
    /// <summary>The <see cref="Width"/> values of sample <paramref name="sample"/> (its position in the batch).</summary>
    /// <param name="sample">0 to <see cref="Count"/> − 1 (not checked against Count, only against the buffer).</param>
    public Span<float> Of(int sample) => _buffer.AsSpan(sample * Width, Width);
    internal float[] Buffer => _buffer;
}

/// <summary>
/// One batch: the images as one contiguous block (<see cref="Shape"/> is N×H×W×C channels-last or N×C×H×W
/// channels-first), the dataset positions of its samples, and their labels, extra inputs and sample weights.
/// Dispose returns the buffers to the pool (optional, but a steady-state epoch then allocates almost nothing).
/// </summary>
/// <remarks>The batch owns its buffers until disposed; every span it hands out is a view of them, so copy what you
/// keep (e.g. into a tensor) before disposing. Not synchronised: one consumer per batch.</remarks>
/// <typeparam name="T">float or byte, as the iterator that made it.</typeparam>
public sealed class Batch<T> : IDisposable where T : unmanaged
{
    private T[]? _x;
    private int[]? _indices;
    private readonly List<BatchArray> _outputs = [];
    private readonly List<BatchArray> _extras = [];
    private BatchArray? _weights;

    private readonly BatchBufferPool<T> _pool;
    /// <summary>Where the label and weight arrays come from (the flow's <see cref="MirageConfiguration.FloatPool"/>).</summary>
    private readonly ArrayPool<float> _labelPool;

    internal Batch(int epoch, int index, int capacity, ImageInfo sampleShape, DataFormat format, ClassMode mode, BatchBufferPool<T> pool,
        ArrayPool<float>? labelPool = null)
    {
        _labelPool = labelPool ?? ArrayPool<float>.Shared;
        Epoch = epoch;
        Index = index;
        SampleShape = sampleShape;
        DataFormat = format;
        LabelMode = mode;
        _pool = pool;
        _x = pool.Rent(capacity * sampleShape.Length);
        _indices = ArrayPool<int>.Shared.Rent(Math.Max(1, capacity));
    }

    /// <summary>The epoch this batch belongs to, from 0.</summary>
    public int Epoch { get; }
    /// <summary>Position of this batch in its epoch.</summary>
    public int Index { get; }
    /// <summary>Samples in the batch (the last batch of an epoch, and batches that skipped bad files, hold fewer).</summary>
    public int Count { get; internal set; }
    /// <summary>Height × width × channels of one sample.</summary>
    public ImageInfo SampleShape { get; }
    /// <summary>Layout of <see cref="X"/>: (N, H, W, C) or (N, C, H, W).</summary>
    public DataFormat DataFormat { get; }
    /// <summary>The flow's class_mode: what <see cref="Outputs"/> hold.</summary>
    public ClassMode LabelMode { get; }

    /// <summary>Values per sample in <see cref="X"/>: H × W × C.</summary>
    public int SampleLength => SampleShape.Length;

    /// <summary>The shape of <see cref="X"/>, e.g. [N, H, W, C] for channels-last; a new array each call.</summary>
    public int[] Shape => DataFormat == DataFormat.ChannelsLast
        ? [Count, SampleShape.Height, SampleShape.Width, SampleShape.Channels]
        : [Count, SampleShape.Channels, SampleShape.Height, SampleShape.Width];

    /// <summary>The images, one contiguous block in <see cref="Shape"/> order.</summary>
    /// <remarks>Floats are the augmenter's standardized values (its rescale and normalization applied; the loaded 0..255
    /// values without an augmenter); bytes are those values rounded and clipped to 0..255.</remarks>
    /// <exception cref="ObjectDisposedException">The batch has been disposed.</exception>
    public Span<T> X => Buffer.AsSpan(0, Count * SampleLength);

    /// <summary>Sample <paramref name="i"/> of <see cref="X"/> (<see cref="SampleLength"/> values, laid out as
    /// <see cref="DataFormat"/> says).</summary>
    /// <param name="i">0 to <see cref="Count"/> − 1 (not checked against Count, only against the buffer).</param>
    /// <exception cref="ObjectDisposedException">The batch has been disposed.</exception>
    public Span<T> Sample(int i) => Buffer.AsSpan(i * SampleLength, SampleLength);

    /// <summary>Dataset position of each sample (its index in the source, not in the shuffled order).</summary>
    public ReadOnlySpan<int> SampleIndices => (_indices ?? throw Disposed()).AsSpan(0, Count);

    /// <summary>Label outputs: one for categorical/binary/sparse/raw, one per column for multi-output, none for input/none.</summary>
    public IReadOnlyList<BatchArray> Outputs => _outputs;

    /// <summary>The single label output (throws when there is none or several).</summary>
    /// <exception cref="InvalidOperationException">The batch has no label output (class_mode input or none) or several
    /// (multi-output).</exception>
    public Span<float> Y => _outputs.Count == 1
        ? _outputs[0].Span
        : throw new InvalidOperationException(LabelMode == ClassMode.Input
            ? "class_mode input: the targets are the images themselves (use X)."
            : $"This batch has {_outputs.Count} label outputs; use Outputs.");

    /// <summary>Extra inputs passed through untouched (Keras's x_misc).</summary>
    public IReadOnlyList<BatchArray> ExtraInputs => _extras;

    /// <summary>Sample weights, or empty when the flow has none.</summary>
    public Span<float> SampleWeights => _weights is null ? Span<float>.Empty : _weights.Span;

    internal T[] Buffer => _x ?? throw Disposed();
    internal int[] IndexBuffer => _indices ?? throw Disposed();

    internal void AddOutput(string name, int width, bool extra)
    {
        var a = new BatchArray(name, width, _labelPool.Rent(Math.Max(1, IndexBuffer.Length * width)), 0);
        (extra ? _extras : _outputs).Add(a);
    }

    internal void AddWeights() => _weights = new BatchArray("sample_weight", 1, _labelPool.Rent(Math.Max(1, IndexBuffer.Length)), 0);

    internal void Fill(LabelSet labels)
    {
        var idx = SampleIndices;
        for (int o = 0; o < labels.Outputs.Count; o++) CopyRows(labels.Outputs[o], _outputs[o], idx);
        for (int o = 0; o < labels.ExtraInputs.Count; o++) CopyRows(labels.ExtraInputs[o], _extras[o], idx);
        if (labels.SampleWeights is { } w && _weights is not null)
        {
            _weights.Count = Count;
            for (int i = 0; i < idx.Length; i++) _weights.Buffer[i] = w[idx[i]];
        }
    }

    private void CopyRows(LabelArray from, BatchArray to, ReadOnlySpan<int> idx)
    {
        to.Count = Count;
        for (int i = 0; i < idx.Length; i++) from.CopyTo(idx[i], to.Of(i));
    }

    private static ObjectDisposedException Disposed() => new(nameof(Batch<T>), "This batch was disposed; its buffers went back to the pool.");

    /// <summary>Returns the buffers to their pools; later access to <see cref="X"/>, <see cref="SampleIndices"/> and the
    /// label arrays is invalid. Safe to call more than once.</summary>
    public void Dispose()
    {
        var x = Interlocked.Exchange(ref _x, null);
        if (x is null) return;
        _pool.Return(x);
        if (Interlocked.Exchange(ref _indices, null) is { } i) ArrayPool<int>.Shared.Return(i);
        foreach (var a in _outputs) _labelPool.Return(a.Buffer);
        foreach (var a in _extras) _labelPool.Return(a.Buffer);
        if (_weights is not null) _labelPool.Return(_weights.Buffer);
        _outputs.Clear();
        _extras.Clear();
        _weights = null;
    }
}

/// <summary>
/// Image buffers of exactly one batch's size for one iterator's batches. ArrayPool rounds up to a power of two (a
/// 32 × 224 × 224 × 3 float batch is 19.3 MB and came from a 32 MB bucket); these are allocated at the exact size,
/// uninitialized (every value a batch exposes is written first), and up to <c>keep</c> returned ones are reused.
/// </summary>
internal sealed class BatchBufferPool<T>(int length, int keep) where T : unmanaged
{
    private readonly Stack<T[]> _free = new();
    private int _outstanding;

    /// <summary>Buffers of this pool's size rented and not yet returned (batches alive); what tests check for leaks.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Values per buffer: batch size × sample length.</summary>
    public int Length { get; } = Math.Max(1, length);

    /// <summary>A buffer of <see cref="Length"/> values (or of <paramref name="length"/> when that is more).</summary>
    public T[] Rent(int length)
    {
        if (length <= Length)
        {
            Interlocked.Increment(ref _outstanding);
            lock (_free)
                if (_free.TryPop(out var reused)) return reused;
        }
        return GC.AllocateUninitializedArray<T>(Math.Max(length, Length));
    }

    public void Return(T[] buffer)
    {
        if (buffer.Length != Length) return;
        Interlocked.Decrement(ref _outstanding);
        lock (_free)
            if (_free.Count < keep) _free.Push(buffer);
    }

    /// <summary>Drops the kept buffers (the iterator is done; batches still out are collected when dropped).</summary>
    public void Clear()
    {
        lock (_free) _free.Clear();
    }
}
