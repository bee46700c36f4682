using System.Text.Json;
using Mirage.Tests.Data;

namespace Mirage.Tests.Cli;

/// <summary>
/// Every manifest line of `mirage augment` replays byte for byte with `mirage apply` alone, including lines with a
/// target_size (apply resizes as augment did); the manifest keeps non-ASCII names as UTF-8.
/// </summary>
[Collection(CliRunner.Collection)]
public sealed class ApplyReplayTests
{
    [Theory]
    [InlineData("224x160", "bilinear", false)]
    [InlineData("100x100", "nearest", true)]
    [InlineData(null, null, false)]
    public void ManifestLinesReplayByteForByte(string? targetSize, string? interpolation, bool keepAspect)
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t["src/chats"]);
        File.Copy(CliRunner.Sample("chelsea.jpg"), t["src/chats/Ｃhelsea 😀.jpg"]);
        File.Copy(CliRunner.Sample("astronaut.jpg"), t["src/chats/b.jpg"]);
        File.WriteAllText(t["c.json"], """{"rotation_range": 30, "zoom_range": 0.2, "horizontal_flip": true, "fill_mode": "reflect", "brightness_range": [0.7, 1.3]}""");
        var args = new List<string> { "augment", t["src"], t["out"], "--config", t["c.json"], "--per-image", "2", "--seed", "5" };
        if (targetSize is not null) args.AddRange(["--target-size", targetSize, "--interpolation", interpolation!]);
        if (keepAspect) args.Add("--keep-aspect-ratio");
        var run = CliRunner.Run(args.ToArray());
        Assert.True(run.Exit == 0, run.Err);

        var manifest = File.ReadAllText(t["out/manifest.jsonl"]);
        Assert.Contains("Ｃhelsea 😀", manifest); // UTF-8, not \uFF23 escapes
        int lines = 0;
        foreach (var line in manifest.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            string replay = t[$"replay{lines++}.png"];
            var apply = new List<string>
            {
                "apply", Path.Combine(t["src"], r.GetProperty("source").GetString()!), replay,
                "--params", r.GetProperty("params").GetRawText(),
                "--fill-mode", r.GetProperty("fill_mode").GetString()!,
                "--cval", r.GetProperty("cval").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--order", r.GetProperty("interpolation_order").GetInt32().ToString(),
                "--color-mode", r.GetProperty("color_mode").GetString()!,
            };
            if (r.GetProperty("keras_compatible").GetBoolean()) apply.Add("--keras-compatible");
            if (r.TryGetProperty("target_size", out var size))
            {
                // The manifest's target_size is (height, width), as Keras's; the command line takes WIDTHxHEIGHT.
                apply.AddRange(["--target-size", $"{size[1].GetInt32()}x{size[0].GetInt32()}", "--interpolation", r.GetProperty("interpolation").GetString()!]);
                if (r.GetProperty("keep_aspect_ratio").GetBoolean()) apply.Add("--keep-aspect-ratio");
            }
            var replayed = CliRunner.Run(apply.ToArray());
            Assert.True(replayed.Exit == 0, replayed.Err);
            Assert.Equal(File.ReadAllBytes(Path.Combine(t["out"], r.GetProperty("output").GetString()!)), File.ReadAllBytes(replay));
        }
        Assert.Equal(4, lines);
    }
}
