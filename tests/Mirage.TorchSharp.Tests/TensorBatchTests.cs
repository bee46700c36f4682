using Mirage.Data;
using Mirage.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace Mirage.TorchSharp.Tests;

public class TensorBatchTests
{
    [Fact]
    public void ChannelsFirstBatchBecomesAContiguousNchwTensorOverTheSameMemory()
    {
        var (x, classes) = Toy.DarkAndBright(6, size: 4, channels: 3);
        using var it = Toy.Iterator(x, classes, batchSize: 4, shuffle: false);
        var batch = it.Next();
        float[] expected = batch.X.ToArray();
        using var tb = TensorBatch.From(batch);
        Assert.Equal(new long[] { 4, 3, 4, 4 }, tb.X.shape);
        Assert.Equal(ScalarType.Float32, tb.X.dtype);
        Assert.True(tb.X.is_contiguous());
        Assert.Equal(expected, tb.X.data<float>().ToArray());
        batch.X[5] = 42f; // shared, not copied: a write to the batch shows in the tensor
        Assert.Equal(42f, tb.X.reshape(-1)[5].item<float>());
    }

    [Fact]
    public void ChannelsLastBatchIsPermutedToNchwWithoutCopying()
    {
        var (x, classes) = Toy.DarkAndBright(2, size: 3, channels: 2);
        using var it = Toy.Iterator(x, classes, batchSize: 2, shuffle: false, format: DataFormat.ChannelsLast);
        var batch = it.Next();
        var nhwc = batch.X.ToArray();
        using var tb = TensorBatch.From(batch);
        Assert.Equal(new long[] { 2, 2, 3, 3 }, tb.X.shape);
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 2; c++)
                for (int h = 0; h < 3; h++)
                    for (int w = 0; w < 3; w++)
                        using (var element = tb.X[n, c, h, w])
                            Assert.Equal(nhwc[((n * 3 + h) * 3 + w) * 2 + c], element.item<float>());
        batch.X[0] = -1f;
        using var first = tb.X[0, 0, 0, 0];
        Assert.Equal(-1f, first.item<float>());
    }

    [Fact]
    public void BufferReturnsToThePoolOnlyWhenTheBatchAndEveryViewAreDisposed()
    {
        var (x, classes) = Toy.DarkAndBright(4, size: 4);
        using var it = Toy.Iterator(x, classes, batchSize: 4, shuffle: false);
        var batch = it.Next();
        GC.Collect(); // let earlier tests' undisposed temporaries finalize now, not during the count
        GC.WaitForPendingFinalizers();
        int live = SharedTensor.Live;
        var tb = TensorBatch.From(batch);
        var kept = tb.X[1];           // a view the user keeps past the batch
        var reshaped = tb.X.view(4, -1); // another
        tb.Dispose();
        Assert.Equal(64, batch.X.Length); // still owned: not back in the pool
        Assert.Equal(live + 1, SharedTensor.Live);
        float before;
        using (var element = kept[0, 0, 0]) before = element.item<float>();
        kept.Dispose();
        Assert.Equal(64, batch.X.Length); // the other view still holds it
        reshaped.Dispose();
        Assert.Equal(live, SharedTensor.Live);
        Assert.Throws<ObjectDisposedException>(() => batch.X.Length); // now returned
        Assert.Equal(x.Data[16], before);
    }

    [Fact]
    public void DisposingTheBatchFirstThenTheTensorAlsoReturnsTheBuffer()
    {
        var (x, classes) = Toy.DarkAndBright(4, size: 4);
        using var it = Toy.Iterator(x, classes, batchSize: 4, shuffle: false);
        var batch = it.Next();
        using (NewDisposeScope())
        {
            var tb = TensorBatch.From(batch);
            using var doubled = tb.X * 2; // a new tensor: does not hold the buffer
            tb.Dispose();
            Assert.Throws<ObjectDisposedException>(() => batch.X.Length);
            Assert.Equal(2 * x.Data[0], doubled[0, 0, 0, 0].item<float>());
        }
    }

    [Fact]
    public void WrappingABatchTwiceFailsWithoutFreeingIt()
    {
        var (x, classes) = Toy.DarkAndBright(4, size: 4);
        using var it = Toy.Iterator(x, classes, batchSize: 4, shuffle: false);
        var batch = it.Next();
        using var first = TensorBatch.From(batch);
        var e = Assert.Throws<InvalidOperationException>(() => TensorBatch.From(batch));
        Assert.Contains("one TensorBatch per batch", e.Message);
        Assert.Equal(64, batch.X.Length); // the first one's buffer is still live
        using var sum = first.X.sum();
        Assert.Equal(x.Data.Sum(), sum.item<float>(), 3);
    }

    [Fact]
    public void SparseLabelsAreInt64AndCategoricalAreFloatRows()
    {
        var (x, classes) = Toy.DarkAndBright(6, size: 2);
        using (var sparse = Toy.Iterator(x, classes, ClassMode.Sparse, batchSize: 6, shuffle: false))
        using (var tb = TensorBatch.From(sparse.Next()))
        {
            Assert.Equal(ScalarType.Int64, tb.Targets!.dtype);
            Assert.Equal(classes.Select(c => (long)c).ToArray(), tb.Targets.data<long>().ToArray());
        }
        using (var categorical = Toy.Iterator(x, classes, ClassMode.Categorical, batchSize: 6, shuffle: false))
        using (var tb = TensorBatch.From(categorical.Next()))
        {
            Assert.Equal(ScalarType.Float32, tb.Targets!.dtype);
            Assert.Equal(new long[] { 6, 2 }, tb.Targets.shape);
            Assert.Equal(new float[] { 1, 0, 0, 1 }, tb.Targets[..2].reshape(-1).data<float>().ToArray());
        }
        using (var categorical = Toy.Iterator(x, classes, ClassMode.Categorical, batchSize: 6, shuffle: false))
        using (var tb = TensorBatch.From(categorical.Next(), TargetEncoding.ClassIndex))
            Assert.Equal(classes.Select(c => (long)c).ToArray(), tb.Targets!.data<long>().ToArray());
        using (var binary = Toy.Iterator(x, classes, ClassMode.Binary, batchSize: 6, shuffle: false))
        using (var tb = TensorBatch.From(binary.Next()))
        {
            Assert.Equal(new long[] { 6 }, tb.Targets!.shape);
            Assert.Equal(classes.Select(c => (float)c).ToArray(), tb.Targets.data<float>().ToArray());
        }
    }

    [Fact]
    public void SampleWeightsComeAlong()
    {
        var (x, classes) = Toy.DarkAndBright(4, size: 2);
        var weights = new float[] { 0.5f, 1, 2, 4 };
        using var it = Toy.Iterator(x, classes, batchSize: 4, shuffle: false, weights: weights);
        using var tb = TensorBatch.From(it.Next());
        Assert.Equal(weights, tb.SampleWeights!.data<float>().ToArray());
    }

    [Fact]
    public void RealValuedLabelsCannotPassAsClassIndices()
    {
        var (x, _) = Toy.DarkAndBright(2, size: 2);
        using var it = DataPipeline.FromArrays<float>(x, [0.5f, 1f], null, new FlowOptions { BatchSize = 2, Shuffle = false });
        var batch = it.Next();
        var e = Assert.Throws<InvalidOperationException>(() => TensorBatch.From(batch, TargetEncoding.ClassIndex));
        Assert.Contains("not a class index", e.Message);
        Assert.Throws<ObjectDisposedException>(() => batch.X.Length); // the failed wrap gave the buffer back
    }

    [Fact]
    public void LoaderYieldsEveryBatchOfTheIteratorFromWorkers()
    {
        var (x, classes) = Toy.DarkAndBright(20, size: 4);
        using var it = Toy.Iterator(x, classes, batchSize: 8, epochs: 2, workers: 2);
        var loader = new MirageLoader(it);
        int batches = 0, samples = 0;
        foreach (var tb in loader)
            using (tb)
            {
                batches++;
                samples += (int)tb.X.shape[0];
            }
        Assert.Equal(6, batches);
        Assert.Equal(40, samples);
        Assert.True(loader.WaitSeconds >= 0);
    }

    [Fact]
    public void DatasetServesSamplesToTorchSharpsDataLoader()
    {
        var (x, classes) = Toy.DarkAndBright(10, size: 4, channels: 3);
        using var it = Toy.Iterator(x, classes, batchSize: 1, shuffle: false);
        using var dataset = new MirageDataset(it);
        Assert.Equal(10, dataset.Count);
        using var loader = utils.data.DataLoader(dataset, 4, shuffle: false);
        var seen = new List<long>();
        foreach (var b in loader)
        {
            Assert.Equal(new long[] { b["data"].shape[0], 3, 4, 4 }, b["data"].shape);
            seen.AddRange(b["label"].data<long>().ToArray());
            foreach (var t in b.Values) t.Dispose();
        }
        Assert.Equal(classes.Select(c => (long)c), seen);
        Assert.Throws<ArgumentException>(() => new MirageDataset(Toy.Iterator(x, classes, batchSize: 2)));
    }
}
