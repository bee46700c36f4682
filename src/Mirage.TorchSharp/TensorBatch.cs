using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Mirage.Data;
using Mirage.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace Mirage.TorchSharp;

/// <summary>How a batch's labels become a tensor.</summary>
public enum TargetEncoding
{
    /// <summary>Sparse labels → int64 class indices [N]; every other label mode → float32 ([N] for one value per sample, [N, K] otherwise).</summary>
    Auto,
    /// <summary>int64 class indices [N] (for cross-entropy); the label must be one value per sample, or one-hot rows (their argmax).</summary>
    ClassIndex,
    /// <summary>float32 values: [N] for one value per sample, [N, K] for one-hot / multi-hot / several values.</summary>
    Float,
}

/// <summary>
/// A Mirage batch as TorchSharp tensors. The images are not copied: <see cref="X"/> is a tensor over the batch's own
/// pooled buffer (pinned while any tensor uses it). Labels and sample weights are small and copied.
/// <para><b>Ownership.</b> The <see cref="TensorBatch"/> owns the <see cref="Batch{T}"/> it was made from (do not
/// dispose that batch yourself) and the tensors it created. <see cref="Dispose"/> disposes those tensors. The image
/// buffer goes back to Mirage's pool only when <i>both</i> this object is disposed <i>and</i> libtorch has freed the
/// storage of <see cref="X"/>, i.e. when every tensor sharing it is gone: views (<c>X[0]</c>, <c>X.view(...)</c>,
/// the channels-last permute), tensors autograd saved for backward, tensors you kept. So keeping a view past the next
/// batch is safe: that buffer simply stays out of the pool (and pinned) until the view is disposed; it is never
/// reused while live. Tensors created inside a <c>torch.NewDisposeScope()</c> are also disposed with that scope.
/// A tensor you never dispose is freed by its finalizer, which then returns the buffer.</para>
/// <para>Operations that produce new tensors (<c>X * 2</c>, <c>X.contiguous()</c> of a permuted view, <c>X.clone()</c>)
/// do not share the buffer.</para>
/// </summary>
public sealed class TensorBatch : IDisposable
{
    private readonly Batch<float> _batch;
    private readonly Tensor _images;
    private readonly SharedTensor _buffer;
    private bool _disposed;

    private TensorBatch(Batch<float> batch, TargetEncoding targets)
    {
        _batch = batch;
        _images = SharedTensor.Over(batch, out _buffer);
        // The batch may be channels-last (Keras's default): X is then the N×C×H×W permuted view of the same memory.
        X = batch.DataFormat == DataFormat.ChannelsFirst ? _images : _images.permute(0, 3, 1, 2);
        try
        {
            if (batch.Outputs.Count == 1) Targets = LabelTensor(batch.Outputs[0], batch.LabelMode, targets);
            if (!batch.SampleWeights.IsEmpty) SampleWeights = torch.tensor(batch.SampleWeights.ToArray(), ScalarType.Float32);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Wraps <paramref name="batch"/> (taking ownership of it) without copying its images.</summary>
    public static TensorBatch From(Batch<float> batch, TargetEncoding targets = TargetEncoding.Auto)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new TensorBatch(batch, targets);
    }

    /// <summary>The images, N×C×H×W float32. A view of the batch's buffer: contiguous for channels-first batches,
    /// a permuted (non-contiguous) view for channels-last ones (ask the generator for <c>DataFormat.ChannelsFirst</c>
    /// to get contiguous memory).</summary>
    public Tensor X { get; }

    /// <summary>The labels (see <see cref="TargetEncoding"/>), or null for a batch with no or several label outputs.</summary>
    public Tensor? Targets { get; }

    /// <summary>Per-sample weights [N] float32, or null when the flow has none.</summary>
    public Tensor? SampleWeights { get; }

    /// <summary>The Mirage batch underneath (its <see cref="Batch{T}.SampleIndices"/>, epoch, label mode).</summary>
    public Batch<float> Batch => _batch;

    /// <summary>Samples in the batch (the last batch of an epoch may hold fewer).</summary>
    public int Count => _batch.Count;

    /// <summary>Disposes the tensors this object created and gives up its claim on the image buffer (see the class notes).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Targets?.Dispose();
        SampleWeights?.Dispose();
        if (!ReferenceEquals(X, _images)) X.Dispose();
        _images.Dispose();
        _buffer.Release();
    }

    private static Tensor LabelTensor(BatchArray labels, ClassMode mode, TargetEncoding encoding)
    {
        int n = labels.Count, width = labels.Width;
        var values = labels.Span;
        bool asIndex = encoding == TargetEncoding.ClassIndex || (encoding == TargetEncoding.Auto && mode == ClassMode.Sparse);
        if (!asIndex)
            return width == 1
                ? torch.tensor(values.ToArray(), ScalarType.Float32)
                : torch.tensor(values.ToArray(), [n, width], ScalarType.Float32);
        var indices = new long[n];
        for (int i = 0; i < n; i++)
        {
            var row = values.Slice(i * width, width);
            if (width == 1)
            {
                float v = row[0];
                if (v < 0 || v != MathF.Floor(v))
                    throw new InvalidOperationException($"Label {v} of sample {i} is not a class index (a non-negative integer); use TargetEncoding.Float for real-valued targets.");
                indices[i] = (long)v;
            }
            else indices[i] = ArgMax(row);
        }
        return torch.tensor(indices, ScalarType.Int64);
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int k = 1; k < row.Length; k++)
            if (row[k] > row[best]) best = k;
        return best;
    }
}

/// <summary>
/// Tensors over a batch's pooled image buffer, with the buffer's return to the pool deferred until libtorch frees
/// the storage (its deleter) and the owner has let go: a reference count of two.
/// </summary>
internal sealed class SharedTensor
{
    private static readonly ConcurrentDictionary<IntPtr, SharedTensor> ByData = new();
    private static int s_live;

    // One delegate, rooted for the life of the process: libtorch may call it from any thread, even a finalizer's.
    private static readonly Deleter OnStorageFreed = data =>
    {
        if (ByData.TryRemove(data, out var shared)) shared.Release();
    };

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void Deleter(IntPtr data);

    // LibTorchSharp's constructor of a tensor over caller-owned memory (what torch.from_array uses), with our deleter.
    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_new(IntPtr data, Deleter deleter, IntPtr dimensions, int numDimensions,
        sbyte type, sbyte dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);

    private readonly Batch<float> _batch;
    private GCHandle _pin;
    private int _references = 2; // libtorch's storage + the owner

    private SharedTensor(Batch<float> batch)
    {
        _batch = batch;
        _pin = GCHandle.Alloc(batch.Buffer, GCHandleType.Pinned);
        Interlocked.Increment(ref s_live);
    }

    /// <summary>Image buffers held out of the pool by a tensor or an owner (for tests and leak checks).</summary>
    internal static int Live => Volatile.Read(ref s_live);

    /// <summary>A tensor of the batch's shape over its buffer; the owner calls <see cref="Release"/> once when done.</summary>
    public static unsafe Tensor Over(Batch<float> batch, out SharedTensor owner)
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        var shared = new SharedTensor(batch);
        var data = shared._pin.AddrOfPinnedObject();
        if (!ByData.TryAdd(data, shared))
        {
            // Its buffer is already shared by another TensorBatch: give back the pin only, never the batch.
            shared._pin.Free();
            Interlocked.Decrement(ref s_live);
            throw new InvalidOperationException("This batch already has tensors over it; make one TensorBatch per batch.");
        }
        var shape = batch.Shape.Select(d => (long)d).ToArray();
        IntPtr handle;
        fixed (long* dims = shape)
            handle = THSTensor_new(data, OnStorageFreed, (IntPtr)dims, shape.Length, (sbyte)ScalarType.Float32, (sbyte)ScalarType.Float32,
                (int)DeviceType.CPU, 0, false);
        if (handle == IntPtr.Zero)
        {
            ByData.TryRemove(data, out _);
            shared._references = 1;
            shared.Release();
            torch.CheckForErrors();
            throw new InvalidOperationException("libtorch could not create a tensor over the batch buffer.");
        }
        owner = shared;
        return Tensor.UnsafeCreateTensor(handle);
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0) return;
        _pin.Free();
        _batch.Dispose();
        Interlocked.Decrement(ref s_live);
    }
}
