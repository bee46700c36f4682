using System.Text.Json;
using Mirage.Cli.Commands;
using Mirage.Codecs;

namespace Mirage.Tests.Cli;

public class BenchCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = BenchCommand.Create(output, errors).Parse(args).Invoke();
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public void JsonHasTheThroughputFieldsAndTheGeneratedTreeIsDeleted()
    {
        var (code, output, errors) = Run("--seconds", "0.3", "--classes", "2", "--per-class", "6", "--target-size", "48x40",
            "--batch-size", "4", "--workers", "2", "--json");
        Assert.True(code == 0, errors);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.True(r.GetProperty("in_memory_images_per_second").GetDouble() > 0);
        Assert.True(r.GetProperty("directory_images_per_second").GetDouble() > 0);
        Assert.True(r.GetProperty("in_memory_median_ms_per_batch").GetDouble() > 0);
        Assert.True(r.GetProperty("directory_median_ms_per_batch").GetDouble() > 0);
        Assert.Equal(1.0, r.GetProperty("directory_fused_fraction").GetDouble()); // the reference config takes the fused path
        Assert.Equal(2, r.GetProperty("workers").GetInt32());
        Assert.Equal("48x40", r.GetProperty("image_size").GetString());
        Assert.Equal(ImageDecoder.JpegDecoder, r.GetProperty("decoder").GetString());
        Assert.Equal(12, r.GetProperty("files").GetInt32());
        Assert.Equal("generated", r.GetProperty("directory").GetString());
        // The tree this run generated is gone (other test processes on the machine may hold trees of their own).
        string tree = r.GetProperty("generated_tree").GetString()!;
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "mirage-bench-"), tree);
        Assert.False(Directory.Exists(tree), $"{tree} was left behind");
    }

    [Fact]
    public void DecodeCompareTimesBothLoads()
    {
        string dir = CliRunner.TempFolder();
        try
        {
            BenchCommand.BuildSampleTree(dir, (256, 320), classes: 1, perClass: 2, seed: 3);
            var (code, output, errors) = Run(dir, "--decode-compare", "--target-size", "64x64", "--seconds", "0.2", "--json");
            Assert.True(code == 0, errors);
            using var doc = JsonDocument.Parse(output);
            var r = doc.RootElement;
            Assert.Equal("320x256", r.GetProperty("source_size").GetString());
            Assert.True(r.GetProperty("full_ms_per_image").GetDouble() > 0);
            Assert.True(r.GetProperty("scaled_ms_per_image").GetDouble() > 0);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ErrorsAreReported()
    {
        var (code, _, errors) = Run("--workers", "0", "--seconds", "0.1");
        Assert.Equal(1, code);
        Assert.Contains("--workers", errors);
    }
}
