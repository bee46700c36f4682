using Mirage.Codecs;
using Mirage.Data;

namespace Mirage.Tests.Data;

/// <summary>Flow options set from C# are reported by their C# names, and checked when the flow is made.</summary>
public class FlowOptionErrorTests
{
    [Fact]
    public void BatchSizeZeroIsNamedAsInCSharp()
    {
        var x = new ImageArray(new float[12], 1, 2, 2, 3);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DataPipeline.FromArrays<float>(x, null, null, new FlowOptions { BatchSize = 0 }));
        Assert.Contains("FlowOptions.BatchSize must be at least 1; got 0", e.Message);
        Assert.DoesNotContain("batch_size", e.Message);
    }

    [Fact]
    public void ZeroTargetSizeFailsWhenTheFlowIsMadeNotAtTheFirstBatch()
    {
        using var t = new TempDir();
        FakeCodec.Write(t["c/a.png"], 2, 2, 3, 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            DataPipeline.FromDirectory<float>(t.Path, null, new DirectoryFlowOptions { TargetSize = (0, 0), Decoder = FakeCodec.Decode }));
        Assert.Contains("TargetSize is (height, width)", e.Message);
    }

    [Fact]
    public void SkipNeverHandsOutAnEmptyBatch()
    {
        using var t = new TempDir();
        FakeCodec.Write(t["c/a.png"], 2, 2, 3, 1);
        File.WriteAllText(t["c/b.png"], "broken");
        FakeCodec.Write(t["c/c.png"], 2, 2, 3, 3);
        using var it = DataPipeline.FromDirectory<float>(t.Path, null, new DirectoryFlowOptions
        {
            TargetSize = (2, 2), Decoder = FakeCodec.Decode, BatchSize = 1, Shuffle = false, Epochs = 2, OnBadFile = BadFilePolicy.Skip,
        });
        var counts = new List<int>();
        var firsts = new List<float>();
        foreach (var b in it)
            using (b)
            {
                counts.Add(b.Count);
                firsts.Add(b.Sample(0)[0]);
            }
        Assert.Equal([1, 1, 1, 1], counts);
        Assert.Equal([1f, 3, 1, 3], firsts);
        Assert.Equal(2, it.SkippedFiles.Count);
    }

    [Fact]
    public void AnEpochWithNothingReadableStopsInsteadOfLoopingForever()
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t["c"]);
        File.WriteAllText(t["c/a.png"], "broken");
        File.WriteAllText(t["c/b.png"], "broken");
        using var it = DataPipeline.FromDirectory<float>(t.Path, null, new DirectoryFlowOptions
        {
            TargetSize = (2, 2), Decoder = FakeCodec.Decode, BatchSize = 1, OnBadFile = BadFilePolicy.Skip,
        });
        var e = Assert.Throws<MirageException>(() => it.Next());
        Assert.Contains("unreadable", e.Message);
    }
}
