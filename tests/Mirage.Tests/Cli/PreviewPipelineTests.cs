using Mirage.Codecs;
using Mirage.Tests.Transforms.Pipelines;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Cli;

/// <summary>`mirage preview` with a pipeline config ({"transforms": [...]}) instead of a Keras dict.</summary>
[Collection(CliRunner.Collection)]
public class PreviewPipelineTests
{
    [Fact]
    public void ThePipelineConfigPreviewsAndEachCellReplaysFromItsLine()
    {
        string dir = CliRunner.TempFolder();
        string config = Path.Combine(dir, "that.json"), output = Path.Combine(dir, "preview.png"), parameters = Path.Combine(dir, "p.jsonl");
        File.WriteAllText(config, ParameterTapeTests.IssueConfig);
        var (exit, _, err) = CliRunner.Run("preview", CliRunner.Sample("chelsea.jpg"), "--config", config, "--out", output,
            "--grid", "3x2", "--gap", "2", "--params-out", parameters, "--seed", "5");
        Assert.True(exit == 0, err);
        using var grid = ImageDecoder.Decode(output, ColorMode.Rgb);
        Assert.Equal((2 * 96 + 2, 3 * 96 + 2 * 2), (grid.Height, grid.Width));
        var lines = File.ReadAllLines(parameters);
        Assert.Equal(6, lines.Length);
        Assert.Equal(6, lines.Distinct().Count());

        using var photo = ImageDecoder.Decode(CliRunner.Sample("chelsea.jpg"), ColorMode.Rgb);
        for (int i = 0; i < 6; i++)
        {
            using var cell = TransformPipeline.Run(ParameterTape.FromJson(lines[i]), photo);
            int top = i / 3 * 98, left = i % 3 * 98;
            for (int y = 0; y < 96; y++)
                Assert.True(cell.Row(y).SequenceEqual(grid.Row(top + y).Slice(left * 3, 96 * 3)), $"cell {i} row {y} differs");
        }
    }

    [Fact]
    public void AMisspeltTransformIsReportedWithASuggestion()
    {
        string dir = CliRunner.TempFolder();
        string config = Path.Combine(dir, "bad.json");
        File.WriteAllText(config, """{"transforms": [{"name": "horizontal_flp"}]}""");
        var (exit, _, err) = CliRunner.Run("preview", CliRunner.Sample("chelsea.jpg"), "--config", config, "--out", Path.Combine(dir, "p.png"));
        Assert.NotEqual(0, exit);
        Assert.Contains("Did you mean 'horizontal_flip'?", err);
        Assert.Contains("bad.json", err);
    }
}
