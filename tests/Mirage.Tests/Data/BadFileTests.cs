using Mirage.Codecs;
using Mirage.Data;

namespace Mirage.Tests.Data;

/// <summary>Corrupt, truncated, empty and non-image files: Throw names the file; Skip finishes and reports them.
/// These run against the stand-in codec; <c>RealCodecBadFileTests</c> repeats them with the real decoder.</summary>
public class BadFileTests
{
    internal static TempDir BadTree(Action<string, byte> writeGood)
    {
        var t = new TempDir();
        Directory.CreateDirectory(t["c"]);
        writeGood(t["c/0-good.png"], 1);
        File.WriteAllBytes(t["c/1-empty.png"], []);
        File.WriteAllText(t["c/2-text.jpg"], "hello, I am not an image");
        var good = File.ReadAllBytes(t["c/0-good.png"]);
        File.WriteAllBytes(t["c/3-truncated.png"], good[..(good.Length / 2)]);
        var corrupt = good.ToArray();
        for (int i = 8; i < corrupt.Length; i++) corrupt[i] ^= 0x5A;
        File.WriteAllBytes(t["c/4-corrupt.png"], corrupt);
        writeGood(t["c/5-good.png"], 5);
        return t;
    }

    private static DirectoryFlowOptions Options => new()
    {
        TargetSize = (2, 2), Decoder = FakeCodec.Decode, Seed = 1, Shuffle = false, BatchSize = 2, Epochs = 2,
    };

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void ThrowNamesTheFileAndTheReason(int workers)
    {
        using var t = BadTree((p, v) => FakeCodec.Write(p, 2, 2, 3, v));
        using var it = DataPipeline.FromDirectory<float>(t.Path, null, Options with { Workers = workers });
        var e = Assert.Throws<ImageDecodeException>(() => it.Next());
        Assert.Contains("1-empty.png", e.Message);
        Assert.Contains("empty", e.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void SkipFinishesAndReportsEachEpoch(int workers)
    {
        using var t = BadTree((p, v) => FakeCodec.Write(p, 2, 2, 3, v));
        var log = new StringWriter();
        var summaries = new List<EpochSummary>();
        using var it = DataPipeline.FromDirectory<float>(t.Path, null, Options with { Workers = workers, OnBadFile = BadFilePolicy.Skip, Log = TextWriter.Synchronized(log) });
        it.EpochEnded += s => { lock (summaries) summaries.Add(s); };
        var seen = new List<int>();
        foreach (var b in it)
            using (b) seen.AddRange(b.SampleIndices.ToArray());
        Assert.Equal([0, 5, 0, 5], seen);
        Assert.Equal(2, summaries.Count);
        foreach (var s in summaries)
        {
            Assert.Equal(2, s.Samples);
            Assert.Equal(["1-empty.png", "2-text.jpg", "3-truncated.png", "4-corrupt.png"], s.Skipped.Select(b => Path.GetFileName(b.Path)));
        }
        Assert.Equal(8, it.SkippedFiles.Count);
        var text = log.ToString();
        Assert.Contains("skipped", text);
        Assert.Contains("4-corrupt.png", text);
        Assert.Contains("skipped 4 unreadable file(s)", text);
    }

    [Fact]
    public void MissingFileIsABadFileToo()
    {
        using var t = new TempDir();
        var table = new Table(["filename", "class"], [["nope.png", "a"]]);
        using var it = DataPipeline.FromTable<float>(table, null, new TableFlowOptions
        {
            Directory = t.Path, ValidateFilenames = false, TargetSize = (1, 1), Decoder = FakeCodec.Decode,
        });
        var e = Assert.Throws<ImageDecodeException>(() => it.GetBatch(0));
        Assert.Contains("nope.png", e.Message);
    }

    [Fact]
    public void GetBatchIsNeverEmptyTheNextReadableSamplesStandIn()
    {
        using var t = new TempDir();
        FakeCodec.Write(t["c/0-good.png"], 2, 2, 3, 1);
        File.WriteAllBytes(t["c/1-empty.png"], []);
        File.WriteAllText(t["c/2-text.png"], "not an image");
        FakeCodec.Write(t["d/3-good.png"], 2, 2, 3, 7);
        File.WriteAllBytes(t["d/4-empty.png"], []);
        BatchIterator<float> Flow(int batchSize) => DataPipeline.FromDirectory<float>(t.Path, null, Options with
        {
            BatchSize = batchSize, OnBadFile = BadFilePolicy.Skip, Epochs = null,
        });

        using var ones = Flow(1);
        using (var b = ones.GetBatch(1)) // 1-empty: 2-text is bad too, so d/3-good (class d) stands in
        {
            Assert.Equal(1, b.Count);
            Assert.Equal([3], b.SampleIndices.ToArray());
            Assert.All(b.X.ToArray(), v => Assert.Equal(7f, v));
            Assert.Equal([0f, 1f], b.Y.ToArray()); // its own label
        }
        using (var b = ones.GetBatch(4)) // the last file: wraps around to the first
            Assert.Equal([0], b.SampleIndices.ToArray());
        using (var b = ones.GetBatch(0))
            Assert.Equal([0], b.SampleIndices.ToArray());
        Assert.Contains(ones.SkippedFiles, s => s.Path.EndsWith("1-empty.png"));

        using var twos = Flow(2);
        using (var b = twos.GetBatch(0)) // 0-good and 1-empty: a batch that lost some files keeps the rest
            Assert.Equal([0], b.SampleIndices.ToArray());
        using (var b = twos.GetBatch(2)) // 4-empty alone: as many stand-ins as the batch would have held (one)
            Assert.Equal([0], b.SampleIndices.ToArray());
        foreach (var batch in Flow(1).Take(5)) // enumeration still skips empty batches
            using (batch) Assert.Equal(1, batch.Count);
    }

    [Fact]
    public void GetBatchOverAnEpochWithNothingReadableSaysSo()
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t["c"]);
        File.WriteAllBytes(t["c/1-empty.png"], []);
        File.WriteAllText(t["c/2-text.png"], "not an image");
        using var it = DataPipeline.FromDirectory<float>(t.Path, null, Options with { BatchSize = 1, OnBadFile = BadFilePolicy.Skip });
        var e = Assert.Throws<MirageException>(() => it.GetBatch(1));
        Assert.Contains("none of the epoch's 2 files could be read", e.Message);
    }
}
