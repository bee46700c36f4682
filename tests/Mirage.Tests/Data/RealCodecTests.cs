using Mirage.Codecs;
using Mirage.Data;
using Mirage.Imaging;

namespace Mirage.Tests.Data;

/// <summary>The pipeline end to end with the real decoder and encoder.</summary>
public class RealCodecTests
{
    internal static void WritePng(string path, byte fill, int h = 6, int w = 5)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var img = new Image<byte>(h, w, 3);
        for (int i = 0; i < img.Length; i++) img.Span[i] = (byte)(fill + i % 7);
        ImageEncoder.Save(img, path, ImageFormat.Png);
    }

    [Fact]
    public void BadFilesThrowNamingTheFileWithTheRealDecoder()
    {
        using var t = BadFileTests.BadTree((p, v) => WritePng(p, v));
        using var it = DataPipeline.FromDirectory<float>(t.Path, null, new DirectoryFlowOptions { TargetSize = (4, 4), Shuffle = false, BatchSize = 2, Seed = 1 });
        var e = Assert.Throws<ImageDecodeException>(() => it.Next());
        Assert.Contains("1-empty.png", e.Message);
        foreach (var name in new[] { "2-text.jpg", "3-truncated.png", "4-corrupt.png" })
        {
            var one = Assert.Throws<ImageDecodeException>(() => new ImageLoadOptions((4, 4)).LoadBytes(t["c/" + name]));
            Assert.Contains(name, one.Message);
            Assert.False(string.IsNullOrWhiteSpace(one.Reason));
        }
    }

    [Fact]
    public void SkipFinishesAndReportsWithTheRealDecoder()
    {
        using var t = BadFileTests.BadTree((p, v) => WritePng(p, v));
        var summaries = new List<EpochSummary>();
        using var it = DataPipeline.FromDirectory<float>(t.Path, null, new DirectoryFlowOptions
        {
            TargetSize = (4, 4), Shuffle = true, BatchSize = 2, Seed = 1, Epochs = 1, Workers = 2, OnBadFile = BadFilePolicy.Skip,
        });
        it.EpochEnded += summaries.Add;
        int samples = it.Sum(b => { using (b) return b.Count; });
        Assert.Equal(2, samples);
        var s = Assert.Single(summaries);
        Assert.Equal(4, s.Skipped.Count);
        Assert.Contains("skipped 4 unreadable file(s)", s.ToString());
    }

    [Fact]
    public void FlowFromDirectoryDecodesResizesAndSaves()
    {
        using var t = new TempDir();
        WritePng(t["data/a/x.png"], 10, 8, 8);
        WritePng(t["data/b/y.png"], 100, 3, 5);
        using var it = DataPipeline.FromDirectory<byte>(t["data"], null, new DirectoryFlowOptions
        {
            TargetSize = (4, 4), Shuffle = false, BatchSize = 2, Seed = 1, SaveToDir = t["saved"], SavePrefix = "s",
        });
        using var b = it.GetBatch(0);
        Assert.Equal([2, 4, 4, 3], b.Shape);
        using var direct = ImageDecoder.Decode(t["data/a/x.png"], ColorMode.Rgb);
        using var resized = Mirage.Kernels.Geometric.Resize.To(direct, 4, 4, Mirage.Kernels.Geometric.ResizeInterpolation.Nearest);
        Assert.Equal(resized.Span.ToArray(), b.Sample(0).ToArray());
        var saved = Directory.GetFiles(t["saved"]).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(2, saved.Length);
        Assert.All(saved, n => Assert.Matches(@"^s_[01]_\d+\.png$", n));
        using var back = ImageDecoder.Decode(Path.Combine(t["saved"], saved[0]!), ColorMode.Rgb);
        Assert.Equal(4, back.Height);
    }
}
