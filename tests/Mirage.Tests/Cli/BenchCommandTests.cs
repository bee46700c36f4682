using System.Diagnostics;
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
        var (code, output, errors) = Run("--seconds", "0.3", "--first-seconds", "0.3", "--classes", "2", "--per-class", "6", "--target-size", "48x40",
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
        Assert.True(r.GetProperty("first_images_per_second").GetDouble() > 0);
        Assert.True(r.GetProperty("first_cpu_us_per_image").GetDouble() > 0);
        Assert.True(r.GetProperty("directory_cpu_us_per_image").GetDouble() > 0);
        Assert.Equal(0.3, r.GetProperty("first_seconds").GetDouble());
        // The JSON rounds the rates and the ratio separately: the ratio of rounded rates may differ in the last digit.
        Assert.Equal(r.GetProperty("first_images_per_second").GetDouble() / r.GetProperty("directory_images_per_second").GetDouble(),
            r.GetProperty("first_to_steady").GetDouble(), 0.011);
        Assert.Equal(Environment.ProcessorCount, r.GetProperty("processor_count").GetInt32());
        Assert.False(r.TryGetProperty("breakdown_read_us", out _)); // only with --breakdown
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
    public void BreakdownTimesEachStepAndTheLimit()
    {
        string dir = CliRunner.TempFolder();
        try
        {
            BenchCommand.BuildSampleTree(dir, (40, 48), classes: 2, perClass: 5, seed: 4);
            var (code, output, errors) = Run(dir, "--breakdown", "--first-seconds", "0", "--seconds", "0.2", "--target-size", "48x40",
                "--batch-size", "4", "--json");
            Assert.True(code == 0, errors);
            using var doc = JsonDocument.Parse(output);
            var r = doc.RootElement;
            double read = r.GetProperty("breakdown_read_us").GetDouble(), decode = r.GetProperty("breakdown_decode_us").GetDouble();
            double warp = r.GetProperty("breakdown_warp_us").GetDouble(), write = r.GetProperty("breakdown_batch_write_us").GetDouble();
            Assert.True(read > 0 && decode > 0 && warp > 0 && write >= 0, output);
            double limit = r.GetProperty("breakdown_limit_images_per_second").GetDouble();
            Assert.Equal(1e6 / (read + decode + warp + write), limit, limit * 0.01);
            Assert.Equal(r.GetProperty("directory_images_per_second").GetDouble() / limit, r.GetProperty("directory_fraction_of_limit").GetDouble(), 0.01);
            double decodeWarp = r.GetProperty("directory_fraction_of_decode_plus_warp").GetDouble();
            Assert.Equal(r.GetProperty("directory_images_per_second").GetDouble() * (decode + warp) / 1e6, decodeWarp, decodeWarp * 0.02);
            Assert.False(r.TryGetProperty("first_images_per_second", out _)); // --first-seconds 0: warm-up instead

            var (text, _, _) = (Run(dir, "--breakdown", "--first-seconds", "0", "--seconds", "0.2", "--target-size", "48x40", "--batch-size", "4").Out, 0, 0);
            Assert.Contains("fused warp", text);
            Assert.Contains("of it", text);
            Assert.Contains("decode + fused warp alone", text);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ASlowStartFailsTheCommandWhenAskedTo()
    {
        string dir = CliRunner.TempFolder();
        try
        {
            BenchCommand.BuildSampleTree(dir, (40, 48), classes: 1, perClass: 4, seed: 5);
            // No first window can reach 50× the steady rate: the guard must fire and say why.
            var (code, output, errors) = Run(dir, "--first-seconds", "0.2", "--seconds", "0.2", "--target-size", "48x40", "--batch-size", "4",
                "--min-first-ratio", "50");
            Assert.Equal(1, code);
            Assert.Contains("slow start", errors);
            Assert.Contains("processor(s) seen", errors);
            Assert.Contains("first 0.2 s of the process", output); // the numbers are printed before the verdict
            Assert.Equal(1, Run(dir, "--first-seconds", "0", "--min-first-ratio", "0.85").Code); // nothing to compare
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The one-CPU slow start (docs/PERFORMANCE.md): with one visible CPU the runtime delays tier-1 code ten-fold, so
    /// the per-sample path must not start in Tier-0. A fresh `mirage bench` process that sees one CPU logs every method
    /// the JIT compiles; the hot ones must be compiled fully optimized the first time.
    /// </summary>
    [Fact]
    public void HotMethodsAreFullyOptimizedFromTheirFirstCallInAOneCpuProcess()
    {
        string dir = CliRunner.TempFolder();
        try
        {
            BenchCommand.BuildSampleTree(dir, (40, 48), classes: 2, perClass: 4, seed: 6);
            string log = Path.Combine(dir, "jit.txt");
            string host = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
            var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Mirage.Cli.dll"), "bench", dir, "--target-size", "40x32",
                         "--seconds", "0.2", "--first-seconds", "0.2", "--batch-size", "4", "--json" })
                start.ArgumentList.Add(a);
            start.Environment["DOTNET_PROCESSOR_COUNT"] = "1";
            start.Environment["DOTNET_JitStdOutFile"] = log;
            start.Environment["DOTNET_JitDisasmSummary"] = "1";
            using (var p = Process.Start(start)!)
            {
                string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
                Assert.True(p.WaitForExit(60_000), "bench did not finish");
                Assert.True(p.ExitCode == 0, stderr);
                Assert.Contains("\"processor_count\": 1", stdout);
            }
            var lines = File.ReadAllLines(log);
            string span = System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "WarpAffine:BilinearSpanAvx2[" : "WarpAffine:BilinearSpan128";
            foreach (var method in new[] { "BatchBuilder`1[float]:Build(", "WarpAffine:ApplyToFloat(Mirage.Imaging.Image`1[byte],System.Span`1[float],int,int,int,byref,byref,System.ReadOnlySpan`1[float],System.ReadOnlySpan`1[float],byref)", // the KernelSettings overload
                         "WarpAffine:ByteBand(", "WarpAffine:ByteRow(",
                         "WarpAffine:BilinearSpan(", span, "RowConverter:ChannelsLast(", "Resize:Nearest(" })
            {
                string? first = lines.FirstOrDefault(l => l.Contains(method, StringComparison.Ordinal));
                Assert.True(first is not null, $"{method} was never compiled (the run did not reach it?)");
                Assert.True(first!.Contains("[FullOpts", StringComparison.Ordinal) && !first.Contains("Tier0", StringComparison.Ordinal), first);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Issue 11 item 8: the sample tree of a bench killed with kill -9 survived it. Trees are named
    /// mirage-bench-{pid}-{guid}; a later run removes those whose pid is gone and nothing else (the kill -9 itself:
    /// HardeningCliTests.Kill_9_during_bench_leaves_a_tree_the_next_bench_removes).</summary>
    [Fact]
    public void Only_trees_whose_process_is_gone_are_removed()
    {
        if (OperatingSystem.IsWindows()) return;
        string root = CliRunner.TempFolder();
        try
        {
            int dead;
            using (var p = Process.Start(new ProcessStartInfo("true"))!)
            {
                p.WaitForExit();
                dead = p.Id;
            }
            string Tree(string name)
            {
                string dir = Path.Combine(root, name);
                Directory.CreateDirectory(Path.Combine(dir, "c0"));
                File.WriteAllText(Path.Combine(dir, "c0", "0000.jpg"), "x");
                return dir;
            }
            string guid = Guid.NewGuid().ToString("N");
            string stale = Tree($"mirage-bench-{dead}-{guid}");
            var kept = new[] { Tree($"mirage-bench-{Environment.ProcessId}-{guid}"), Tree($"mirage-bench-{guid}"), Tree("mirage-bench-x-1"), Tree($"other-{dead}-{guid}") };
            File.WriteAllText(Path.Combine(root, $"mirage-bench-{dead}-file"), "a file, not a tree");
            Assert.Equal(1, BenchCommand.RemoveStaleTrees(root));
            Assert.False(Directory.Exists(stale));
            Assert.All(kept, k => Assert.True(Directory.Exists(k), k));
            Assert.True(File.Exists(Path.Combine(root, $"mirage-bench-{dead}-file")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
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
