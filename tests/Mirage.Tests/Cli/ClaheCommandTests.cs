using System.Globalization;
using Mirage.Codecs;
using Mirage.Imaging;
using Mirage.Kernels.Photometric;
using Mirage.Tests.Kernels.Photometric;

namespace Mirage.Tests.Cli;

[Collection(CliRunner.Collection)]
public class ClaheCommandTests
{
    public static TheoryData<string> CaseNames() => new(ClaheFixtures.Cases.Select(c => c.Name));

    /// <summary>`mirage clahe IN.npy OUT.npy` with each fixture's options gives scikit-image's float32 array, shape included.</summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void NpyOutputIsScikitImagesArray(string name)
    {
        var c = ClaheFixtures.Cases.Single(k => k.Name == name);
        string dir = CliRunner.TempFolder();
        var input = ClaheFixtures.Read(c.Input);
        string inPath = Path.Combine(dir, "in.npy"), outPath = Path.Combine(dir, "out.npy");
        if (input.Bytes is { } b) NpyFile.Write(inPath, b, input.Shape);
        else NpyFile.Write(inPath, input.Floats!, input.Shape);
        var p = c.Parameters;
        var args = new List<string> { "clahe", inPath, outPath, "--clip-limit", p.ClipLimit.ToString("R", CultureInfo.InvariantCulture), "--nbins", p.NBins.ToString(CultureInfo.InvariantCulture) };
        if (p.KernelHeight > 0) args.AddRange(["--kernel-size", $"{p.KernelHeight}x{p.KernelWidth}"]);
        if (c.Kind == "float32") args.AddRange(["--value-range", "255"]);
        var (exit, _, err) = CliRunner.Run([.. args]);
        Assert.True(exit == 0, err);
        var actual = NpyFile.Read(outPath);
        var expected = ClaheFixtures.Read(c.Output);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(NpyDType.Float32, actual.DType);
        Assert.True(actual.Floats.AsSpan().SequenceEqual(expected.Floats), $"{name}: values differ from scikit-image's");
        Directory.Delete(dir, true);
    }

    [Fact]
    public void PhotoToPngIsTheKernelRoundedTo8Bits()
    {
        string dir = CliRunner.TempFolder();
        string outPath = Path.Combine(dir, "out.png");
        var (exit, _, err) = CliRunner.Run("clahe", CliRunner.Sample("chelsea.jpg"), outPath, "--clip-limit", "0.03", "--kernel-size", "40");
        Assert.True(exit == 0, err);
        using var source = ImageDecoder.Decode(CliRunner.Sample("chelsea.jpg"), ColorMode.Rgb);
        using var expected = new Image<float>(source.Info);
        Clahe.Apply(source, expected, new ClaheParameters { ClipLimit = 0.03, KernelHeight = 40, KernelWidth = 40 });
        Mirage.Kernels.Photometric.PointOps.Scale(expected.Span, expected.Span, 255f);
        using var expectedBytes = ImageConvert.ToByte(expected);
        using var written = ImageDecoder.Decode(outPath, ColorMode.Rgb);
        Assert.True(written.Span.SequenceEqual(expectedBytes.Span));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("--kernel-size", "0", "--kernel-size: expected N or HxW")]
    [InlineData("--kernel-size", "8x", "--kernel-size: expected N or HxW")]
    [InlineData("--nbins", "0", "nbins must be between 1")]
    [InlineData("--clip-limit", "-1", "clip_limit must be a finite number")]
    public void BadOptionsSayWhatIsAllowed(string option, string value, string message)
    {
        string dir = CliRunner.TempFolder();
        var (exit, _, err) = CliRunner.Run("clahe", CliRunner.Sample("chelsea.jpg"), Path.Combine(dir, "o.png"), option, value);
        Assert.Equal(1, exit);
        Assert.Contains(message, err);
        Assert.Empty(Directory.GetFiles(dir));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void WrongArrayShapesAndMissingFilesAreNamed()
    {
        string dir = CliRunner.TempFolder();
        string inPath = Path.Combine(dir, "two.npy");
        NpyFile.Write(inPath, new float[2 * 3 * 2], [2, 3, 2]);
        var (exit, _, err) = CliRunner.Run("clahe", inPath, Path.Combine(dir, "o.npy"));
        Assert.Equal(1, exit);
        Assert.Contains("two.npy", err);
        Assert.Contains("H×W×3/4", err);
        (exit, _, err) = CliRunner.Run("clahe", Path.Combine(dir, "missing.png"), Path.Combine(dir, "o.npy"));
        Assert.Equal(1, exit);
        Assert.Contains("missing.png", err);
        Directory.Delete(dir, true);
    }
}
