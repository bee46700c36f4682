using Mirage.Data;
using static TorchSharp.torch;

namespace Mirage.TorchSharp;

/// <summary>
/// A TorchSharp <c>Dataset</c> over a Mirage iterator, for TorchSharp's own <c>DataLoader</c> and loop: item i is sample
/// i of the iterator's epoch <see cref="Epoch"/> (augmented with that sample's (seed, epoch, position) stream), as
/// <c>"data"</c> C×H×W float32 and, when there are labels, <c>"label"</c> (see <see cref="TargetEncoding"/>). Build the
/// iterator with <c>BatchSize = 1</c> and without shuffle (the DataLoader shuffles); set <see cref="Epoch"/> before each
/// epoch for fresh augmentation. Each item's image is a tensor over its own pooled buffer (see <see cref="TensorBatch"/>);
/// the DataLoader's collation copies it into the batch. The iterator stays the caller's.
/// </summary>
public sealed class MirageDataset : utils.data.Dataset
{
    private readonly BatchIterator<float> _iterator;
    private readonly TargetEncoding _targets;

    /// <summary>Serves the samples of <paramref name="iterator"/> one at a time, labels encoded as <paramref name="targets"/> says.</summary>
    public MirageDataset(BatchIterator<float> iterator, TargetEncoding targets = TargetEncoding.Auto)
    {
        ArgumentNullException.ThrowIfNull(iterator);
        if (iterator.BatchSize != 1)
            throw new ArgumentException($"MirageDataset serves one sample per item; build the iterator with BatchSize = 1 (it has {iterator.BatchSize}).", nameof(iterator));
        _iterator = iterator;
        _targets = targets;
    }

    /// <summary>The augmentation epoch items are drawn from.</summary>
    public int Epoch { get; set; }

    /// <summary>Samples in the dataset (the iterator's sample count).</summary>
    public override long Count => _iterator.Samples;

    /// <summary>Sample <paramref name="index"/>, augmented for <see cref="Epoch"/>: "data" (the image tensor) and, with labels, "label".</summary>
    public override Dictionary<string, Tensor> GetTensor(long index)
    {
        if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset holds {Count} samples.");
        using var batch = TensorBatch.From(_iterator.GetBatch((int)index, Epoch), _targets);
        var item = new Dictionary<string, Tensor> { ["data"] = batch.X[0] };
        if (batch.Targets is { } y) item["label"] = y[0].clone();
        return item;
    }
}
