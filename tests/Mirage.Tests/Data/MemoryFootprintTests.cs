using Mirage.Data;

namespace Mirage.Tests.Data;

/// <summary>What a source costs per file: docs/data-pipeline.md has the whole-process numbers (mirage flow-bench).</summary>
public class MemoryFootprintTests
{
    [Fact]
    public void CompactNamesRoundTripAndCostAboutTheirBytes()
    {
        var source = Enumerable.Range(0, 100_000).Select(i => $"class{i % 10:D2}/img{i:D7}.jpg").ToArray();
        var names = new CompactStrings();
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var name in source) names.Add(name);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(100_000, names.Count);
        Assert.Equal("class07/img0012347.jpg", names[12347]);
        Assert.Equal("ünïcödé/名前.png", new CompactStrings { "ünïcödé/名前.png" }[0]);
        // 22 bytes of UTF-8 + 8 bytes of index per name, plus the index array's doublings: well under 64 bytes per file
        // (a List<string> of the same names costs about 80).
        Assert.True(bytes < 100_000 * 64, $"{bytes / 100_000.0:F1} bytes per name");
    }

    [Fact]
    public void OneHotLabelsAreStoredAsIndices()
    {
        var classes = Enumerable.Range(0, 50_000).Select(i => i % 1000).ToArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var labels = LabelArray.OneHot(classes, 1000);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(bytes < 50_000 * 16, $"{bytes / 50_000.0:F1} bytes per sample for 1000 classes");
        var row = new float[1000];
        labels.CopyTo(1234, row);
        Assert.Equal(1f, row[234]);
        Assert.Equal(1f, row.Sum());
        var multi = LabelArray.OneHot([[1, 3], [], [0]], 4);
        var r0 = new float[4];
        multi.CopyTo(0, r0);
        Assert.Equal([0f, 1, 0, 1], r0);
        multi.Select([2, 0]).CopyTo(0, r0);
        Assert.Equal([1f, 0, 0, 0], r0);
    }
}
