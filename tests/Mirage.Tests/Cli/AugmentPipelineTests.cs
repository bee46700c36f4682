using System.Text.Json;
using Mirage.Tests.Data;
using Mirage.Tests.Transforms.Pipelines;

namespace Mirage.Tests.Cli;

/// <summary>
/// `mirage augment --config` with a pipeline config: every manifest line records the whole applied tape (each transform's
/// name, options, params and output size) and replays byte for byte with `mirage apply SOURCE OUT --params '…'` alone;
/// the outputs do not depend on the worker count.
/// </summary>
[Collection(CliRunner.Collection)]
public sealed class AugmentPipelineTests
{
    private static TempDir Tree()
    {
        var t = new TempDir();
        Directory.CreateDirectory(t["src/cats"]);
        Directory.CreateDirectory(t["src/people"]);
        File.Copy(CliRunner.Sample("chelsea.jpg"), t["src/cats/chelsea.jpg"]);
        File.Copy(CliRunner.Sample("astronaut.jpg"), t["src/people/astronaut.jpg"]);
        File.WriteAllText(t["pipeline.json"], ParameterTapeTests.IssueConfig);
        return t;
    }

    [Fact]
    public void EveryManifestLineReplaysByteForByteWithApplyAlone()
    {
        using var t = Tree();
        var run = CliRunner.Run("augment", t["src"], t["out"], "--config", t["pipeline.json"], "--per-image", "4", "--seed", "11", "--workers", "2");
        Assert.True(run.Exit == 0, run.Err);
        var lines = File.ReadAllLines(t["out/manifest.jsonl"]);
        Assert.Equal(8, lines.Length);
        var applied = new HashSet<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var r = doc.RootElement;
            var steps = r.GetProperty("params").GetProperty("transforms").EnumerateArray().ToList();
            Assert.Equal("random_resized_crop", steps[0].GetProperty("name").GetString());
            Assert.Equal("[96,96,3]", steps[^1].GetProperty("output").GetRawText());
            foreach (var s in steps) applied.Add(s.GetProperty("name").GetString()!);
            Assert.False(r.TryGetProperty("fill_mode", out _)); // Keras's warp settings: a tape carries its own

            string replay = t[$"replay{i}.png"];
            var apply = CliRunner.Run("apply", Path.Combine(t["src"], r.GetProperty("source").GetString()!), replay,
                "--params", r.GetProperty("params").GetRawText());
            Assert.True(apply.Exit == 0, apply.Err);
            Assert.Equal(File.ReadAllBytes(Path.Combine(t["out"], r.GetProperty("output").GetString()!)), File.ReadAllBytes(replay));
        }
        Assert.Contains("color_jitter", applied); // both branches of one_of were drawn (weights 0.7 / 0.3)
        Assert.Contains("horizontal_flip", applied);

        var single = CliRunner.Run("augment", t["src"], t["out1"], "--config", t["pipeline.json"], "--per-image", "4", "--seed", "11", "--workers", "1");
        Assert.True(single.Exit == 0, single.Err);
        var one = AugmentRunnerTests.Snapshot(t["out1"]);
        var two = AugmentRunnerTests.Snapshot(t["out"]);
        Assert.Equal(two.Keys.Order(), one.Keys.Order());
        foreach (var k in one.Keys) Assert.True(one[k].SequenceEqual(two[k]), $"{k} differs between --workers 1 and 2");
    }

    [Fact]
    public void WithATargetSizeApplyNeedsTheSameLoadingAndSaysSo()
    {
        using var t = Tree();
        var run = CliRunner.Run("augment", t["src"], t["out"], "--config", t["pipeline.json"], "--per-image", "2", "--seed", "3",
            "--target-size", "160x120", "--interpolation", "bilinear", "--color-mode", "grayscale");
        Assert.True(run.Exit == 0, run.Err);
        foreach (var line in File.ReadAllLines(t["out/manifest.jsonl"]))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            Assert.Equal("[120,160,1]", r.GetProperty("params").GetProperty("input").GetRawText());
            string source = Path.Combine(t["src"], r.GetProperty("source").GetString()!), replay = t["replay.png"];
            var alone = CliRunner.Run("apply", source, replay, "--params", r.GetProperty("params").GetRawText());
            Assert.Equal(1, alone.Exit);
            Assert.Contains("drawn for a 120x160x1 image", alone.Err);
            Assert.Contains("--target-size", alone.Err);
            // The grayscale colour mode comes from the tape's channel count; the resize is the manifest line's.
            var apply = CliRunner.Run("apply", source, replay, "--params", r.GetProperty("params").GetRawText(),
                "--target-size", "160x120", "--interpolation", r.GetProperty("interpolation").GetString()!);
            Assert.True(apply.Exit == 0, apply.Err);
            Assert.Equal(File.ReadAllBytes(Path.Combine(t["out"], r.GetProperty("output").GetString()!)), File.ReadAllBytes(replay));
        }
    }

    [Fact]
    public void ARunRecordsThePipelineSoAResumeWithAnotherConfigIsRefused()
    {
        using var t = Tree();
        Assert.Equal(0, CliRunner.Run("augment", t["src"], t["out"], "--config", t["pipeline.json"], "--seed", "1").Exit);
        File.WriteAllText(t["other.json"], """{"transforms": [{"name": "horizontal_flip"}]}""");
        var other = CliRunner.Run("augment", t["src"], t["out"], "--config", t["other.json"], "--seed", "1");
        Assert.Equal(1, other.Exit);
        Assert.Contains("config: the augmentation settings differ", other.Err);
    }
}
