using System.Diagnostics;
using Mirage.Data;

namespace Mirage.Tests.Data;

/// <summary>
/// One enumeration at a time (a second is refused, not silently interleaved), <c>await foreach</c> with the same bytes
/// as <c>foreach</c>, and cancellation: prompt, nothing lost or repeated, workers stopped, no buffer left out of the pool.
/// </summary>
public class EnumerationTests
{
    private static FlowOptions Options(int workers) => new() { BatchSize = 8, Seed = 5, Workers = workers, Prefetch = 3, Epochs = 2 };

    private static List<(int Epoch, int Index, float[] X)> Sync(int workers)
    {
        using var it = new BatchIterator<float>(new CountingSource(60), new FakeAugmenter(), Options(workers));
        var all = new List<(int, int, float[])>();
        foreach (var b in it)
            using (b) all.Add((b.Epoch, b.Index, b.X.ToArray()));
        return all;
    }

    private static void AssertSame(List<(int Epoch, int Index, float[] X)> expected, List<(int Epoch, int Index, float[] X)> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal((expected[i].Epoch, expected[i].Index), (actual[i].Epoch, actual[i].Index));
            Assert.Equal(expected[i].X, actual[i].X);
        }
    }

    [Fact]
    public async Task ASecondEnumerationWhileOneIsOpenIsRefusedAndALaterOneContinues()
    {
        using var it = new BatchIterator<float>(new CountingSource(40), null, new FlowOptions { BatchSize = 10, Seed = 1, Shuffle = false, Epochs = 1 });
        using (var first = it.GetEnumerator())
        {
            Assert.True(first.MoveNext());
            first.Current.Dispose();
            var e = Assert.Throws<InvalidOperationException>(() => it.GetEnumerator());
            Assert.Contains("already being enumerated", e.Message);
            Assert.Contains("TryNext", e.Message);
            await Assert.ThrowsAsync<InvalidOperationException>(async () => { await foreach (var b in it.ReadAllAsync()) b.Dispose(); });
        }
        // The first ended (disposed): a new one is allowed, and continues the one cursor.
        var rest = new List<int>();
        foreach (var b in it)
            using (b) rest.Add(b.Index);
        Assert.Equal([1, 2, 3], rest);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task AwaitForeachGivesTheSameBytesAsForeach(int workers)
    {
        var expected = Sync(workers);
        using var it = new BatchIterator<float>(new CountingSource(60), new FakeAugmenter(), Options(workers));
        var actual = new List<(int, int, float[])>();
        await foreach (var b in it.ReadAllAsync())
            using (b) actual.Add((b.Epoch, b.Index, b.X.ToArray()));
        AssertSame(expected, actual);
        Assert.Equal(0, it.Buffers.Outstanding);
    }

    [Fact]
    public async Task CancellingMidEpochIsPromptStopsTheWorkersReturnsTheBuffersAndResumesWithTheSameBatches()
    {
        var expected = Sync(workers: 2);
        var source = new CountingSource(60) { DelayMs = 20 };
        using var it = new BatchIterator<float>(source, new FakeAugmenter(), Options(workers: 2));
        var got = new List<(int, int, float[])>();
        using var cts = new CancellationTokenSource();
        var watch = new Stopwatch();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var b in it.ReadAllAsync(cts.Token))
                using (b)
                {
                    got.Add((b.Epoch, b.Index, b.X.ToArray()));
                    if (got.Count == 3)
                    {
                        watch.Start();
                        cts.Cancel();
                    }
                }
        });
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"cancellation took {watch.Elapsed}");
        Assert.Equal(0, it.Buffers.Outstanding); // the prefetched batches went back to the pool
        int loads = source.Loads;
        Thread.Sleep(200);
        Assert.Equal(loads, source.Loads); // the workers stopped
        // The next enumeration starts the workers again and continues where the cancelled one stopped.
        await foreach (var b in it.ReadAllAsync())
            using (b) got.Add((b.Epoch, b.Index, b.X.ToArray()));
        AssertSame(expected, got);
        Assert.Equal(0, it.Buffers.Outstanding);
    }

    [Fact]
    public void CancellingInsideABatchBuiltOnTheCallersThreadGivesItBack()
    {
        // Without workers the caller builds: 100 samples × 50 ms is five seconds, cancelled after about 100 ms.
        var source = new CountingSource(200) { DelayMs = 50 };
        using var it = new BatchIterator<float>(source, null, new FlowOptions { BatchSize = 100, Seed = 3, Epochs = 1 });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var watch = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => it.TryNext(out _, cts.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2.5), $"cancellation took {watch.Elapsed}");
        Assert.True(source.Loads < 50, $"{source.Loads} samples loaded before the cancellation was seen");
        Assert.Equal(0, it.Buffers.Outstanding);
        source.DelayMs = 0;
        using var again = it.Next(); // the batch it gave back, not the one after
        Assert.Equal((0, 0), (again.Epoch, again.Index));
        Assert.Equal(it.EpochOrder(0)[..100].ToArray(), again.SampleIndices.ToArray());
    }

    [Fact]
    public void CancellingWhileWaitingForAWorkerLosesAndRepeatsNothing()
    {
        var expected = Sync(workers: 2);
        var source = new CountingSource(60) { DelayMs = 30 }; // a batch of 8 takes a worker about 240 ms
        using var it = new BatchIterator<float>(source, new FakeAugmenter(), Options(workers: 2));
        var got = new List<(int, int, float[])>();
        for (int round = 0; round < 3; round++)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(40));
            Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                while (it.TryNext(out var b, cts.Token))
                    using (b) got.Add((b.Epoch, b.Index, b.X.ToArray()));
            });
            Assert.Equal(0, it.Buffers.Outstanding);
        }
        source.DelayMs = 0;
        while (it.TryNext(out var b))
            using (b) got.Add((b.Epoch, b.Index, b.X.ToArray()));
        AssertSame(expected, got);
        Assert.Equal(0, it.Buffers.Outstanding);
    }
}
