using System.Text.Json;
using Mirage.Cli.Commands;
using Mirage.Tests.Data;

namespace Mirage.Tests.Cli;

public class StatsCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = StatsCommand.Create(output, errors).Parse(args).Invoke();
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public void JsonMeanAndStdOfATree()
    {
        using var t = new TempDir();
        RealCodecTests.WritePng(t["a/1.png"], 10);
        RealCodecTests.WritePng(t["b/deep/2.png"], 50);
        var (code, output, errors) = Run(t.Path, "--json", "--workers", "2");
        Assert.True(code == 0, errors);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(2, doc.RootElement.GetProperty("images").GetInt32());
        var mean = doc.RootElement.GetProperty("mean").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(3, mean.Length);
        // Pixel i of the image with fill f holds f + i % 7 (5x6x3 = 90 values, channels interleaved).
        var all = Enumerable.Range(0, 90).Where(i => i % 3 == 0).SelectMany(i => new[] { 10.0 + i % 7, 50.0 + i % 7 }).ToArray();
        Assert.Equal(all.Average(), mean[0], 9);
    }

    [Fact]
    public void TargetSizeTextOutputAndBadFiles()
    {
        using var t = BadFileTests.BadTree((p, v) => RealCodecTests.WritePng(p, v));
        var (code, _, errors) = Run(t.Path);
        Assert.Equal(1, code);
        Assert.Contains("mirage: error: Cannot read image", errors);
        var (ok, output, log) = Run(t.Path, "--on-error", "skip", "--target-size", "3x2");
        Assert.Equal(0, ok);
        Assert.Contains("images: 2", output);
        Assert.Contains("pixels per channel: 12", output);
        Assert.Contains("skipped 4 unreadable file(s)", output);
        Assert.Contains("4-corrupt.png", log);
        var (bad, _, sizeErr) = Run(t.Path, "--target-size", "3by2");
        Assert.Equal(1, bad);
        Assert.Contains("WIDTHxHEIGHT", sizeErr);
    }
}
