using Mirage.Codecs;
using Mirage.Data;
using Mirage.Imaging;

namespace Mirage.Tests.Data;

public class AugmentRunnerTests
{
    private static int _encodes;

    private static void RawEncode(Image<byte> img, Stream stream, ImageFormat fmt)
    {
        Interlocked.Increment(ref _encodes);
        stream.Write(System.Text.Encoding.ASCII.GetBytes($"IMG {img.Height} {img.Width} {img.Channels}\n"));
        stream.Write(img.Span);
    }

    private static AugmentOptions Options(ulong seed, int workers) => new()
    {
        PerImage = 3, Seed = seed, Workers = workers, Decoder = FakeCodec.Decode, Encoder = RawEncode,
    };

    internal static Dictionary<string, byte[]> Snapshot(string dir) => Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
        .ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes);

    private static TempDir Source()
    {
        var t = new TempDir();
        for (int i = 0; i < 6; i++) FakeCodec.Write(t[$"src/{(i % 2 == 0 ? "cats" : "dogs")}/{i}.png"], 3, 4, 3, (byte)(i * 10));
        FakeCodec.Write(t["src/cats/0.jpg"], 3, 4, 3, 99); // same stem as 0.png
        return t;
    }

    [Fact]
    public void SameSeedSameBytesWithOneOrTwoWorkersAndDifferentSeedsDiffer()
    {
        using var t = Source();
        var a = AugmentRunner.Run(t["src"], t["a"], new FakeAugmenter(), Options(7, 1));
        AugmentRunner.Run(t["src"], t["b"], new FakeAugmenter(), Options(7, 2));
        AugmentRunner.Run(t["src"], t["c"], new FakeAugmenter(), Options(8, 2));
        var sa = Snapshot(t["a"]);
        var sb = Snapshot(t["b"]);
        Assert.Equal(7 * 3 + 2, sa.Count); // outputs, manifest, its settings
        Assert.Equal(sa.Keys.Order(), sb.Keys.Order());
        foreach (var k in sa.Keys) Assert.Equal(sa[k], sb[k]);
        var sc = Snapshot(t["c"]);
        Assert.Contains(sa.Keys.Where(k => k != AugmentRunner.ManifestName), k => !sa[k].SequenceEqual(sc[k]));
        Assert.Equal(21, a.Written);
        Assert.Contains(Path.Combine("cats", "0_png_aug_2.png"), sa.Keys);
        Assert.Contains(Path.Combine("cats", "0_jpg_aug_0.png"), sa.Keys);
        Assert.Contains(Path.Combine("dogs", "1_aug_0.png"), sa.Keys);
    }

    [Fact]
    public void ManifestRecordsSourceOutputAndParameters()
    {
        using var t = Source();
        AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), Options(7, 2) with { TargetSize = (2, 2) });
        var lines = File.ReadAllLines(t["out/" + AugmentRunner.ManifestName]);
        Assert.Equal(21, lines.Length);
        using var doc = System.Text.Json.JsonDocument.Parse(lines.First(l => l.Contains("\"dogs/3_aug_1.png\"")));
        var root = doc.RootElement;
        Assert.Equal("dogs/3.png", root.GetProperty("source").GetString());
        Assert.Equal(1, root.GetProperty("variant").GetInt32());
        Assert.Equal(2, root.GetProperty("target_size")[0].GetInt32());
        var p = Mirage.Transforms.TransformParameters.FromJson(root.GetProperty("params").GetRawText());
        Assert.InRange(p.Theta, 0, 1);
        Assert.True(p.Theta != 0);
    }

    [Fact]
    public void RerunOverAFinishedOutputDoesNoWork()
    {
        using var t = Source();
        AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), Options(7, 2));
        var before = Snapshot(t["out"]);
        int encodes = Volatile.Read(ref _encodes);
        var again = AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), Options(7, 2));
        Assert.Equal(0, again.Written);
        Assert.Equal(21, again.AlreadyDone);
        var after = Snapshot(t["out"]);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var k in before.Keys) Assert.Equal(before[k], after[k]);

        // Delete one output: only it is redone, identically.
        var victim = Path.Combine(t["out"], "cats", "2_aug_1.png");
        File.Delete(victim);
        var third = AugmentRunner.Run(t["src"], t["out"], new FakeAugmenter(), Options(7, 1));
        Assert.Equal(1, third.Written);
        Assert.Equal(before[Path.Combine("cats", "2_aug_1.png")], File.ReadAllBytes(victim));
        Assert.Equal(before[AugmentRunner.ManifestName], File.ReadAllBytes(t["out/" + AugmentRunner.ManifestName]));
    }

    [Fact]
    public void BadFilesThrowOrAreSkippedAndReported()
    {
        using var t = BadFileTests.BadTree((p, v) => FakeCodec.Write(p, 2, 2, 3, v));
        using var o = new TempDir();
        var e = Assert.Throws<ImageDecodeException>(() => AugmentRunner.Run(t.Path, o["out"], new FakeAugmenter(), Options(1, 1)));
        Assert.Contains("c/", e.Message);
        var log = new StringWriter();
        var summary = AugmentRunner.Run(t.Path, o["out2"], new FakeAugmenter(), Options(1, 2) with { OnBadFile = BadFilePolicy.Skip, Log = TextWriter.Synchronized(log) });
        Assert.Equal(6, summary.Written);
        Assert.Equal(4, summary.Skipped.Count);
        Assert.Contains("skipped 4 unreadable", summary.ToString());
        Assert.Contains("3-truncated.png", log.ToString());
    }
}
