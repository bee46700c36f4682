using Mirage.Codecs;
using Mirage.Tests.Conformance;

namespace Mirage.Tests.Cli;

[Collection(CliRunner.Collection)]
public class ApplyCommandTests
{
    public static TheoryData<string> AllCases() => new(KerasFixtures.Cases().Select(c => c.Id));

    /// <summary>The acceptance check: `mirage apply IN OUT.npy --params P [--keras-compatible]` against the
    /// Keras oracle (KerasCompatible cases) and the true-centre oracle (default mode), at the conformance bound.</summary>
    [Theory]
    [MemberData(nameof(AllCases))]
    public void MatchesKerasOnEveryFixture(string id)
    {
        var c = KerasFixtures.Case(id);
        string dir = CliRunner.TempFolder();
        string output = Path.Combine(dir, "out.npy");
        string[] args = ["apply", Path.Combine(KerasFixtures.Folder, c.Input), output,
            "--params", c.ParamsJson, "--fill-mode", c.FillMode.ToString().ToLowerInvariant(),
            "--cval", c.Cval.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--order", ((int)c.Order).ToString(), .. (c.KerasCompatible ? ["--keras-compatible"] : Array.Empty<string>())];
        var (exit, _, err) = CliRunner.Run(args);
        Assert.True(exit == 0, err);
        using var actual = NpyFile.ReadImageFloat(output);
        using var expected = KerasFixtures.LoadExpected(c);
        Assert.Equal(expected.Info, actual.Info);
        var stats = KerasFixtures.Compare(actual.Span, expected.Span);
        Assert.True(KerasFixtures.Conforms(stats), $"{id}: {stats}");
        Directory.Delete(dir, true);
    }

    [Fact]
    public void ParamsFileAndPngOutputWork()
    {
        string dir = CliRunner.TempFolder();
        string parameters = Path.Combine(dir, "p.json");
        File.WriteAllText(parameters, """{"theta": 15, "zx": 0.9, "zy": 0.9, "flip_horizontal": true, "brightness": 1.2}""");
        string output = Path.Combine(dir, "out.png");
        var (exit, _, err) = CliRunner.Run("apply", CliRunner.Sample("chelsea.jpg"), output, "--params", parameters);
        Assert.True(exit == 0, err);
        using var written = ImageDecoder.Decode(output, ColorMode.Rgb);
        using var source = ImageDecoder.Decode(CliRunner.Sample("chelsea.jpg"), ColorMode.Rgb);
        Assert.Equal(source.Info, written.Info);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("""{"theta": 10, "zoom": 2}""", "unknown parameter 'zoom'")]
    [InlineData("""[1, 2]""", "expected a JSON object")]
    [InlineData("""{"theta": "abc"}""", "--params")]
    public void BadParametersSayWhatIsWrong(string json, string expected)
    {
        string dir = CliRunner.TempFolder();
        var (exit, _, err) = CliRunner.Run("apply", CliRunner.Sample("chelsea.jpg"), Path.Combine(dir, "o.png"), "--params", json);
        Assert.Equal(1, exit);
        Assert.Contains(expected, err);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void MissingInputNamesTheFile()
    {
        string dir = CliRunner.TempFolder();
        var (exit, _, err) = CliRunner.Run("apply", Path.Combine(dir, "nope.jpg"), Path.Combine(dir, "o.png"), "--params", "{}");
        Assert.Equal(1, exit);
        Assert.Contains("nope.jpg", err);
    }

    [Fact]
    public void CorruptInputNamesTheFileAndTheReason()
    {
        string dir = CliRunner.TempFolder();
        string bad = Path.Combine(dir, "broken.jpg");
        File.WriteAllText(bad, "this is not a JPEG");
        var (exit, _, err) = CliRunner.Run("apply", bad, Path.Combine(dir, "o.png"), "--params", "{}");
        Assert.Equal(1, exit);
        Assert.Contains("broken.jpg", err);
        Assert.Contains("not a recognised image format", err);
    }

    [Fact]
    public void OrderOtherThanZeroOrOneIsRefused()
    {
        string dir = CliRunner.TempFolder();
        var (exit, _, err) = CliRunner.Run("apply", CliRunner.Sample("chelsea.jpg"), Path.Combine(dir, "o.png"), "--params", "{}", "--order", "3");
        Assert.Equal(1, exit);
        Assert.Contains("--order", err);
    }
}
