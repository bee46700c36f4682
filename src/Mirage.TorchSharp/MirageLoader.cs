using System.Collections;
using System.Diagnostics;
using Mirage.Data;

namespace Mirage.TorchSharp;

/// <summary>
/// Batches of a Mirage iterator as <see cref="TensorBatch"/>es, for your own training loop. The batches are built
/// ahead on Mirage's worker threads (<see cref="FlowOptions.Workers"/>, up to <see cref="FlowOptions.Prefetch"/>
/// batches ahead; TorchSharp's DataLoader has no prefetch), and turning one into tensors copies no pixels, so the loop
/// only waits when augmentation is slower than the model. Dispose each batch after its step (or let a dispose scope
/// do it). The iterator stays the caller's.
/// </summary>
public sealed class MirageLoader(BatchIterator<float> iterator, TargetEncoding targets = TargetEncoding.Auto) : IEnumerable<TensorBatch>
{
    private long _waitTicks;

    /// <summary>The Mirage iterator batches are drawn from.</summary>
    public BatchIterator<float> Iterator { get; } = iterator ?? throw new ArgumentNullException(nameof(iterator));

    /// <summary>Total time spent blocked in <see cref="Next"/> waiting for a batch.</summary>
    public double WaitSeconds => (double)Interlocked.Read(ref _waitTicks) / Stopwatch.Frequency;

    /// <summary>The next batch, or null when the iterator's epochs are done.</summary>
    public TensorBatch? Next()
    {
        long start = Stopwatch.GetTimestamp();
        bool got = Iterator.TryNext(out var batch);
        Interlocked.Add(ref _waitTicks, Stopwatch.GetTimestamp() - start);
        return got ? TensorBatch.From(batch!, targets) : null;
    }

    /// <summary>The batches as tensors, built ahead on the iterator's workers; dispose each one after use.</summary>
    public IEnumerator<TensorBatch> GetEnumerator()
    {
        while (Next() is { } batch) yield return batch;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
