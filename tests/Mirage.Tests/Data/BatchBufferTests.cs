using Mirage.Data;

namespace Mirage.Tests.Data;

public class BatchBufferTests
{
    [Fact]
    public void BatchesHoldExactlyOneBatchOfValuesAndReuseReturnedBuffers()
    {
        // 32 × 224 × 224 × 3 floats is 19.3 MB; ArrayPool would have handed out its 32 MB bucket.
        var source = new CountingSource(70, 224, 224, 3);
        using var it = new BatchIterator<float>(source, null, new FlowOptions { BatchSize = 32, Shuffle = false, Seed = 1 });
        var first = it.Next();
        Assert.Equal(32 * 224 * 224 * 3, first.Buffer.Length);
        var buffer = first.Buffer;
        first.Dispose();
        using var second = it.Next();
        Assert.Same(buffer, second.Buffer); // the returned buffer came back
        // The epoch's last batch (6 samples) uses a buffer of the same size, and exposes only its own samples.
        using var third = it.Next();
        Assert.Equal(6, third.Count);
        Assert.Equal(6 * 224 * 224 * 3, third.X.Length);
        Assert.Equal(64f, third.X[0]); // CountingSource fills sample i with i + …
    }

    [Fact]
    public void ABatchSizeAboveTheDatasetRentsOnlyWhatTheDatasetFills()
    {
        using var it = new BatchIterator<float>(new CountingSource(3, 64, 64, 3), null, new FlowOptions { BatchSize = 1000, Seed = 1 });
        using var batch = it.Next();
        Assert.Equal(3, batch.Count);
        Assert.Equal(3 * 64 * 64 * 3, batch.Buffer.Length);
    }

    [Fact]
    public void ThePoolKeepsAtMostItsShareAndIgnoresForeignBuffers()
    {
        var pool = new BatchBufferPool<byte>(10, keep: 2);
        var a = pool.Rent(10);
        var b = pool.Rent(7); // a short last batch still gets a full buffer
        var c = pool.Rent(10);
        Assert.Equal([10, 10, 10], new[] { a.Length, b.Length, c.Length });
        pool.Return(a);
        pool.Return(b);
        pool.Return(c); // over the limit: dropped
        pool.Return(new byte[9]); // not one of its size: ignored
        var r1 = pool.Rent(10);
        var r2 = pool.Rent(10);
        var r3 = pool.Rent(10);
        Assert.Same(b, r1);
        Assert.Same(a, r2);
        Assert.NotSame(c, r3);
        Assert.Equal(11, pool.Rent(11).Length); // asked for more than a batch: made to measure
    }
}
