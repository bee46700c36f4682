using System.Collections.Concurrent;
using Mirage.Data;
using Mirage.Generation;

namespace Mirage.Tests.Data;

public class BatchIteratorTests
{
    private static byte[] Bytes(Batch<float> b) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(b.X).ToArray();

    private static List<(int[] Indices, byte[] Data)> Run(int workers, int prefetch, ulong seed, int epochs = 2, int count = 37, int batch = 5)
    {
        using var it = new BatchIterator<float>(new CountingSource(count), new FakeAugmenter(),
            new FlowOptions { BatchSize = batch, Seed = seed, Workers = workers, Prefetch = prefetch, Epochs = epochs });
        var result = new List<(int[], byte[])>();
        foreach (var b in it)
            using (b) result.Add((b.SampleIndices.ToArray(), Bytes(b)));
        return result;
    }

    [Fact]
    public void LengthIsCeilingAndLastBatchIsShort()
    {
        using var it = new BatchIterator<float>(new CountingSource(37), null, new FlowOptions { BatchSize = 5, Epochs = 1, Seed = 1 });
        Assert.Equal(8, it.Length);
        Assert.Equal(8, it.StepsPerEpoch);
        Assert.Equal(37, it.SamplesPerEpoch);
        Assert.Equal(3, BatchIterator<float>.StepsPerEpochFor(10, 4));
        var batches = it.ToList();
        Assert.Equal(8, batches.Count);
        Assert.All(batches.Take(7), b => Assert.Equal([5, 4, 3, 2], b.Shape));
        Assert.Equal([2, 4, 3, 2], batches[7].Shape);
        Assert.Equal(2 * 24, batches[7].X.Length);
    }

    [Fact]
    public void SameSeedSameBytesWhateverTheWorkersAndPrefetch()
    {
        var reference = Run(workers: 0, prefetch: 1, seed: 42);
        foreach (var (w, p) in new[] { (1, 1), (2, 2), (8, 3), (2, 16) })
        {
            var other = Run(w, p, 42);
            Assert.Equal(reference.Count, other.Count);
            for (int i = 0; i < reference.Count; i++)
            {
                Assert.Equal(reference[i].Indices, other[i].Indices);
                Assert.Equal(reference[i].Data, other[i].Data);
            }
        }
        var different = Run(0, 1, 43);
        Assert.NotEqual(reference.SelectMany(r => r.Data), different.SelectMany(r => r.Data));
    }

    [Fact]
    public void RandomAccessGivesTheSameBatchAsStreaming()
    {
        var streamed = Run(2, 2, 7, epochs: 2);
        using var it = new BatchIterator<float>(new CountingSource(37), new FakeAugmenter(), new FlowOptions { BatchSize = 5, Seed = 7 });
        // Ask out of order: the bytes depend only on (seed, epoch, batch).
        for (int k = streamed.Count - 1; k >= 0; k--)
        {
            using var b = it.GetBatch(k % it.Length, k / it.Length);
            Assert.Equal(streamed[k].Indices, b.SampleIndices.ToArray());
            Assert.Equal(streamed[k].Data, Bytes(b));
        }
    }

    [Fact]
    public void SampleAugmentationDependsOnDatasetPositionNotOrder()
    {
        // Shuffled vs not: sample 5 of epoch 0 gets the same bytes either way.
        using var a = new BatchIterator<float>(new CountingSource(20), new FakeAugmenter(), new FlowOptions { BatchSize = 20, Seed = 9, Shuffle = true });
        using var b = new BatchIterator<float>(new CountingSource(20), new FakeAugmenter(), new FlowOptions { BatchSize = 20, Seed = 9, Shuffle = false });
        using var ba = a.GetBatch(0);
        using var bb = b.GetBatch(0);
        int pos = ba.SampleIndices.IndexOf(5);
        Assert.Equal(bb.Sample(5).ToArray(), ba.Sample(pos).ToArray());
    }

    [Fact]
    public void ShuffleIsAPermutationThatChangesEachEpoch()
    {
        using var it = new BatchIterator<float>(new CountingSource(50), null, new FlowOptions { Seed = 3 });
        var e0 = it.EpochOrder(0).ToArray();
        var e1 = it.EpochOrder(1).ToArray();
        Assert.Equal(Enumerable.Range(0, 50), e0.Order());
        Assert.Equal(Enumerable.Range(0, 50), e1.Order());
        Assert.NotEqual(e0, e1);
        Assert.NotEqual(Enumerable.Range(0, 50), e0);
        using var plain = new BatchIterator<float>(new CountingSource(50), null, new FlowOptions { Seed = 3, Shuffle = false });
        Assert.Equal(Enumerable.Range(0, 50), plain.EpochOrder(4).ToArray());
    }

    [Fact]
    public void EightConcurrentConsumersSeeEverySampleExactlyOncePerEpoch()
    {
        const int n = 203, epochs = 3;
        using var it = new BatchIterator<float>(new CountingSource(n) { DelayMs = 0 }, new FakeAugmenter(),
            new FlowOptions { BatchSize = 4, Seed = 11, Workers = 3, Prefetch = 4, Epochs = epochs });
        var seen = new ConcurrentDictionary<(int Epoch, int Index), int>();
        var batchesSeen = new ConcurrentDictionary<(int, int), int>();
        var ended = new ConcurrentBag<int>();
        it.EpochEnded += s => ended.Add(s.Epoch);
        var consumers = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
        {
            while (it.TryNext(out var b))
                using (b)
                {
                    batchesSeen.AddOrUpdate((b.Epoch, b.Index), 1, (_, v) => v + 1);
                    foreach (var i in b.SampleIndices.ToArray()) seen.AddOrUpdate((b.Epoch, i), 1, (_, v) => v + 1);
                }
        })).ToArray();
        foreach (var t in consumers) t.Start();
        foreach (var t in consumers) Assert.True(t.Join(TimeSpan.FromSeconds(30)));
        Assert.Equal(n * epochs, seen.Count);
        Assert.All(seen.Values, v => Assert.Equal(1, v));
        Assert.Equal(it.Length * epochs, batchesSeen.Count);
        Assert.Equal([0, 1, 2], ended.Order());
    }

    [Fact]
    public void PrefetchBoundsTheWorkDoneAheadOfTheConsumer()
    {
        var source = new CountingSource(10_000);
        using var it = new BatchIterator<float>(source, null, new FlowOptions { BatchSize = 8, Seed = 1, Workers = 4, Prefetch = 3 });
        for (int i = 0; i < 5; i++) it.Next().Dispose();
        Thread.Sleep(300); // give the workers every chance to run ahead
        // Claimed 5 batches; at most prefetch (3) more may be built: never the dataset.
        Assert.InRange(source.Loads, 5 * 8, (5 + 3) * 8);
    }

    [Fact]
    public void ChannelsFirstAndByteBatches()
    {
        var source = new CountingSource(3, height: 2, width: 2, channels: 3);
        using var last = new BatchIterator<float>(source, null, new FlowOptions { BatchSize = 3, Shuffle = false, Seed = 1 });
        using var first = new BatchIterator<float>(source, null, new FlowOptions { BatchSize = 3, Shuffle = false, Seed = 1, DataFormat = DataFormat.ChannelsFirst });
        using var bytes = new BatchIterator<byte>(source, null, new FlowOptions { BatchSize = 3, Shuffle = false, Seed = 1 });
        using var bl = last.GetBatch(0);
        using var bf = first.GetBatch(0);
        using var bb = bytes.GetBatch(0);
        Assert.Equal([3, 3, 2, 2], bf.Shape);
        // sample 1, channel 2, row 1, col 0
        Assert.Equal(bl.X[1 * 12 + (1 * 2 + 0) * 3 + 2], bf.X[1 * 12 + 2 * 4 + 1 * 2 + 0]);
        Assert.Equal([1, 1, 1], bb.Sample(1).ToArray()[..3]);
        Assert.Equal(2, bb.Sample(2)[0]);
    }

    [Fact]
    public void InfiniteIterationContinuesAcrossEpochs()
    {
        using var it = new BatchIterator<float>(new CountingSource(10), null, new FlowOptions { BatchSize = 4, Seed = 5, Workers = 2 });
        var epochs = new List<int>();
        for (int i = 0; i < 3 * it.Length + 1; i++)
            using (var b = it.Next()) epochs.Add(b.Epoch);
        Assert.Equal([0, 0, 0, 1, 1, 1, 2, 2, 2, 3], epochs);
    }

    [Fact]
    public void LabelsFollowTheirSamples()
    {
        var labels = new LabelSet(ClassMode.Raw, [new LabelArray("y", 2, Enumerable.Range(0, 40).Select(i => (float)i).ToArray())],
            [new LabelArray("x2", 1, Enumerable.Range(0, 20).Select(i => i * 10f).ToArray())],
            Enumerable.Range(0, 20).Select(i => i / 100f).ToArray());
        using var it = new BatchIterator<float>(new CountingSource(20) { Labels = labels }, null, new FlowOptions { BatchSize = 6, Seed = 2 });
        using var b = it.GetBatch(1);
        for (int i = 0; i < b.Count; i++)
        {
            int idx = b.SampleIndices[i];
            Assert.Equal(idx, b.Sample(i)[0]);
            Assert.Equal([2f * idx, 2f * idx + 1], b.Y.Slice(2 * i, 2).ToArray());
            Assert.Equal(idx * 10f, b.ExtraInputs[0].Span[i]);
            Assert.Equal(idx / 100f, b.SampleWeights[i]);
        }
    }

    [Fact]
    public void EmptySourceEndsImmediately()
    {
        using var it = new BatchIterator<float>(new CountingSource(0), null, new FlowOptions { Workers = 2 });
        Assert.Equal(0, it.Length);
        Assert.False(it.TryNext(out _));
    }
}
