using System.Security.Cryptography;
using Mirage.Cli.Commands;
using Mirage.Codecs;

namespace Mirage.Tests.Cli;

[Collection(CliRunner.Collection)]
public class PreviewCommandTests
{
    [Fact]
    public void WritesAGridOfVariantsAndTheirParameters()
    {
        string dir = CliRunner.TempFolder();
        string config = Path.Combine(dir, "config.json");
        File.WriteAllText(config, """{"rotation_range": 40, "width_shift_range": 0.2, "height_shift_range": 0.2, "shear_range": 0.2, "zoom_range": 0.2, "horizontal_flip": true, "fill_mode": "nearest"}""");
        string output = Path.Combine(dir, "preview.png"), parameters = Path.Combine(dir, "p.jsonl");
        var (exit, _, err) = CliRunner.Run("preview", CliRunner.Sample("chelsea.jpg"), "--config", config, "--out", output,
            "--grid", "3x2", "--gap", "2", "--params-out", parameters);
        Assert.True(exit == 0, err);
        using var source = ImageDecoder.Decode(CliRunner.Sample("chelsea.jpg"), ColorMode.Rgb);
        using var grid = ImageDecoder.Decode(output, ColorMode.Rgb);
        Assert.Equal(2 * source.Height + 2, grid.Height);
        Assert.Equal(3 * source.Width + 2 * 2, grid.Width);
        var lines = File.ReadAllLines(parameters);
        Assert.Equal(6, lines.Length);
        Assert.Equal(6, lines.Distinct().Count()); // every cell draws its own parameters

        // Replaying cell 0's parameters with `mirage apply` gives cell 0's pixels.
        string replay = Path.Combine(dir, "cell0.png");
        Assert.Equal(0, CliRunner.Run("apply", CliRunner.Sample("chelsea.jpg"), replay, "--params", lines[0]).Exit);
        using var cell = ImageDecoder.Decode(replay, ColorMode.Rgb);
        for (int y = 0; y < cell.Height; y += 7)
            Assert.True(cell.Row(y).SequenceEqual(grid.Row(y)[..(cell.Width * 3)]), $"row {y} differs");
    }

    [Fact]
    public void SameSeedSameBytesDifferentSeedDifferentBytes()
    {
        string dir = CliRunner.TempFolder();
        string config = Path.Combine(dir, "config.json");
        File.WriteAllText(config, """{"rotation_range": 40, "zoom_range": [0.8, 1.2]}""");
        string Hash(string seed, string name)
        {
            string path = Path.Combine(dir, name);
            Assert.Equal(0, CliRunner.Run("preview", CliRunner.Sample("chelsea.jpg"), "--config", config, "--out", path, "--grid", "2x1", "--seed", seed).Exit);
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }
        Assert.Equal(Hash("7", "a.png"), Hash("7", "b.png"));
        Assert.NotEqual(Hash("7", "c.png"), Hash("8", "d.png"));
    }

    [Fact]
    public void LargePhotosAreShrunkToTheCellLimit()
    {
        string dir = CliRunner.TempFolder();
        string config = Path.Combine(dir, "config.json"), output = Path.Combine(dir, "p.png");
        File.WriteAllText(config, """{"rotation_range": 10}""");
        // astronaut.jpg is 512×512: a 100-pixel cell limit gives 100×100 cells.
        var (exit, _, err) = CliRunner.Run("preview", CliRunner.Sample("astronaut.jpg"), "--config", config, "--out", output,
            "--grid", "2x1", "--gap", "0", "--max-cell", "100");
        Assert.True(exit == 0, err);
        using var grid = ImageDecoder.Decode(output, ColorMode.Rgb);
        Assert.Equal((100, 200), (grid.Height, grid.Width));
    }

    [Theory]
    [InlineData("5x4", 5, 4)]
    [InlineData("1X1", 1, 1)]
    public void GridParses(string text, int columns, int rows) => Assert.Equal((columns, rows), PreviewCommand.ParseGrid(text));

    [Theory]
    [InlineData("5")]
    [InlineData("0x4")]
    [InlineData("axb")]
    [InlineData("100x100")]
    public void BadGridIsRefusedWithTheOptionName(string text) =>
        Assert.Contains("--grid", Assert.Throws<FormatException>(() => PreviewCommand.ParseGrid(text)).Message);

    [Fact]
    public void UnknownConfigKeyIsNamed()
    {
        string dir = CliRunner.TempFolder();
        string config = Path.Combine(dir, "config.json");
        File.WriteAllText(config, """{"rotation_rang": 40}""");
        var (exit, _, err) = CliRunner.Run("preview", CliRunner.Sample("chelsea.jpg"), "--config", config, "--out", Path.Combine(dir, "p.png"));
        Assert.Equal(1, exit);
        Assert.Contains("rotation_rang", err);
        Assert.False(File.Exists(Path.Combine(dir, "p.png")));
    }

    [Fact]
    public void HelpAndVersionWork()
    {
        var (exit, output, _) = CliRunner.Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("apply", output);
        Assert.Contains("preview", output);
        var (vexit, version, _) = CliRunner.Run("--version");
        Assert.Equal(0, vexit);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Trim());
    }
}
