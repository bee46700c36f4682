using Mirage.Data;
using static TorchSharp.torch;

namespace Mirage.TorchSharp;

/// <summary>Data evaluated as a whole (validation after each epoch, <see cref="Trainer.Evaluate(ValidationData)"/>).</summary>
public abstract class ValidationData
{
    /// <summary>Batches 0..steps-1 of the iterator's first epoch, built on the calling thread with
    /// <see cref="BatchIterator{T}.GetBatch"/>: the same batches every time (create the iterator without shuffle or
    /// augmentation for a fixed validation set). The iterator is not disposed here.</summary>
    public static ValidationData From(BatchIterator<float> iterator, int? steps = null, TargetEncoding targets = TargetEncoding.Auto)
        => new IteratorData(iterator, steps, targets);

    /// <summary>In-memory tensors: images N×C×H×W and targets with N rows, evaluated <paramref name="batchSize"/> at a time
    /// (narrow views; nothing is copied). The tensors stay the caller's.</summary>
    public static ValidationData FromTensors(Tensor x, Tensor y, int batchSize = 32)
    {
        if (x.shape[0] != y.shape[0]) throw new ArgumentException($"x has {x.shape[0]} samples but y has {y.shape[0]}.", nameof(y));
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        return new TensorData(x, y, batchSize);
    }

    /// <summary>Images in memory (Keras's validation_data=(x, y)) with one label value per sample, evaluated channels-first
    /// without augmentation, <paramref name="batchSize"/> at a time.</summary>
    public static ValidationData FromArrays(ImageArray x, float[] y, int batchSize = 32, TargetEncoding targets = TargetEncoding.Auto)
    {
        var iterator = DataPipeline.FromArrays<float>(x, y, augmenter: null,
            new FlowOptions { BatchSize = batchSize, Shuffle = false, DataFormat = Generation.DataFormat.ChannelsFirst, Epochs = null });
        return new IteratorData(iterator, null, targets);
    }

    /// <summary>The batches in order; each is disposed by the consumer before the next is asked for.</summary>
    internal abstract IEnumerable<Step> Steps();

    /// <summary>One evaluation batch.</summary>
    internal sealed class Step(Tensor x, Tensor? targets, Tensor? weights, IDisposable owner) : IDisposable
    {
        public Tensor X { get; } = x;
        public Tensor? Targets { get; } = targets;
        public Tensor? Weights { get; } = weights;
        public void Dispose() => owner.Dispose();
    }

    private sealed class IteratorData(BatchIterator<float> iterator, int? steps, TargetEncoding targets) : ValidationData
    {
        internal override IEnumerable<Step> Steps()
        {
            int count = steps ?? iterator.Length;
            for (int i = 0; i < count; i++)
            {
                var tb = TensorBatch.From(iterator.GetBatch(i % iterator.Length, i / iterator.Length), targets);
                yield return new Step(tb.X, tb.Targets, tb.SampleWeights, tb);
            }
        }
    }

    private sealed class TensorData(Tensor x, Tensor y, int batchSize) : ValidationData
    {
        internal override IEnumerable<Step> Steps()
        {
            long n = x.shape[0];
            for (long start = 0; start < n; start += batchSize)
            {
                long length = Math.Min(batchSize, n - start);
                var xs = x.narrow(0, start, length);
                var ys = y.narrow(0, start, length);
                yield return new Step(xs, ys, null, new Both(xs, ys));
            }
        }

        private sealed class Both(IDisposable a, IDisposable b) : IDisposable
        {
            public void Dispose()
            {
                a.Dispose();
                b.Dispose();
            }
        }
    }
}
