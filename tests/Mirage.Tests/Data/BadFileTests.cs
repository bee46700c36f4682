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
}
