using System.Text.Json;
using Mirage.Codecs;
using Mirage.Imaging;

namespace Mirage.Tests.Cli;

[Collection(CliRunner.Collection)]
public class ExperimentCommandTests
{
    /// <summary>Two class folders of 8×8 gray PNGs: dark and bright, a little noise.</summary>
    private static string DarkAndBrightTree(int perClass)
    {
        string root = CliRunner.TempFolder();
        var random = new Mirage.Randomness.RandomStream(11);
        foreach (var (name, level) in new[] { ("dark", 60), ("bright", 190) })
        {
            Directory.CreateDirectory(Path.Combine(root, name));
            for (int i = 0; i < perClass; i++)
            {
                using var image = new Image<byte>(8, 8, 1);
                foreach (ref var v in image.Span) v = (byte)(level + random.NextInt(41) - 20);
                ImageEncoder.Save(image, Path.Combine(root, name, $"{i:D2}.png"));
            }
        }
        return root;
    }

    [Fact]
    public void JsonHasOneRunPerArmAndSeedAndTheReportHasItsPlots()
    {
        string tree = DarkAndBrightTree(12), outDir = Path.Combine(CliRunner.TempFolder(), "report");
        var (exit, stdout, stderr) = CliRunner.Run("experiment", "--dir", tree, "--image-size", "8x8", "--color-mode", "grayscale",
            "--train-per-class", "0", "--test-split", "0.25", "--epochs", "2", "--seeds", "1,2", "--arms", "none,flip",
            "--batch-size", "4", "--threads", "1", "--json", "--out", outDir);
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["none/1", "none/2", "flip/1", "flip/2"], runs.Select(r => $"{r.GetProperty("arm").GetString()}/{r.GetProperty("seed").GetInt32()}"));
        foreach (var r in runs)
        {
            Assert.InRange(r.GetProperty("macro_f1").GetDouble(), 0, 1);
            Assert.InRange(r.GetProperty("accuracy").GetDouble(), 0, 1);
            Assert.True(r.GetProperty("seconds").GetDouble() > 0);
            Assert.InRange(r.GetProperty("data_wait_fraction").GetDouble(), 0, 1);
        }
        var flip = json.RootElement.GetProperty("arms").EnumerateArray().Single(a => a.GetProperty("arm").GetString() == "flip");
        Assert.True(flip.TryGetProperty("delta_to_none", out _));
        Assert.Contains("| flip | 2 |", File.ReadAllText(Path.Combine(outDir, "report.md")));
        foreach (var png in new[] { "val_macro_f1.png", "val_loss.png" })
        {
            using var plot = ImageDecoder.Decode(Path.Combine(outDir, png), ColorMode.Rgb);
            Assert.True(plot.Width > 400 && plot.Height > 300);
        }
        // The per-run lines go to stderr so that stdout stays one JSON object.
        Assert.Contains("flip         seed 2: test macro-F1", stderr);
    }

    [Theory]
    [InlineData("--arms", "none,bogus", "Unknown arm 'bogus'")]
    [InlineData("--seeds", "1,x", "--seeds: expected comma-separated whole numbers")]
    [InlineData("--epochs", "0", "--epochs: must be at least 1")]
    [InlineData("--model", "resnet50", "--model: only 'small'")]
    public void BadOptionsGiveOneLineNamingTheOption(string option, string value, string message)
    {
        var (exit, _, stderr) = CliRunner.Run("experiment", "--dir", "/nonexistent-tree", option, value);
        Assert.Equal(1, exit);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
