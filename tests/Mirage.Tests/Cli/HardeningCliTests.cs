using System.Diagnostics;
using System.Text.Json;
using Mirage.Codecs;
using Mirage.Data;
using Mirage.Tests.Data;

namespace Mirage.Tests.Cli;

/// <summary>Issue 11 through the `mirage` command: bombs and bad sizes give one line and exit 1 in every command,
/// `stats` with no images, the hostile corpus under skip and throw, resume settings, and interrupted runs (a real
/// child process killed mid-run).</summary>
[Collection(CliRunner.Collection)]
public class HardeningCliTests
{
    private static string Corpus(string file) => Path.Combine(HostileCorpusTests.Folder, file);

    private static void AssertOneLineError(int exit, string err, params string[] phrases)
    {
        Assert.Equal(1, exit);
        // `mirage bench` announces its steps on stderr before it works; the error itself is one line.
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("mirage bench: ")).ToArray();
        Assert.Single(lines);
        Assert.StartsWith("mirage: error: ", lines[0]);
        foreach (var p in phrases) Assert.Contains(p, lines[0]);
        Assert.DoesNotContain("   at ", err); // no stack trace
    }

    private static string Config(TempDir t)
    {
        File.WriteAllText(t["config.json"], """{"rotation_range": 20, "horizontal_flip": true}""");
        return t["config.json"];
    }

    [Fact]
    public void A_bomb_gives_one_line_in_every_command_and_is_skipped_under_skip()
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t["src/c"]);
        File.Copy(Corpus("bomb-30000x30000.jpg"), t["src/c/bomb.jpg"]);
        File.Copy(Corpus("ok.jpg"), t["src/c/ok.jpg"]);
        string config = Config(t);
        const string limit = "over the limit of 178,956,970";

        var r = CliRunner.Run("preview", t["src/c/bomb.jpg"], "--config", config, "--out", t["p.png"]);
        AssertOneLineError(r.Exit, r.Err, "bomb.jpg", limit, "--max-pixels");
        r = CliRunner.Run("apply", t["src/c/bomb.jpg"], t["a.png"], "--params", """{"theta": 10}""");
        AssertOneLineError(r.Exit, r.Err, "bomb.jpg", limit);
        r = CliRunner.Run("stats", t["src"]);
        AssertOneLineError(r.Exit, r.Err, "bomb.jpg", limit);
        r = CliRunner.Run("augment", t["src"], t["out"], "--config", config);
        AssertOneLineError(r.Exit, r.Err, "bomb.jpg", limit);
        r = CliRunner.Run("bench", t["src"], "--seconds", "0.2");
        AssertOneLineError(r.Exit, r.Err, "bomb.jpg", limit);

        r = CliRunner.Run("stats", t["src"], "--on-error", "skip");
        Assert.Equal(0, r.Exit);
        Assert.Contains("images: 1", r.Out);
        r = CliRunner.Run("augment", t["src"], t["out2"], "--config", config, "--on-error", "skip");
        Assert.Equal(0, r.Exit);
        Assert.Contains("wrote 1 augmented", r.Out);

        // Raising the limit lets the claim through to the next guard (one array), still one line, still no overflow.
        r = CliRunner.Run("stats", t["src"], "--max-pixels", "1000000000");
        AssertOneLineError(r.Exit, r.Err, "bomb.jpg", "too large");
        r = CliRunner.Run("stats", t["src"], "--max-pixels", "0");
        AssertOneLineError(r.Exit, r.Err, "--max-pixels must be at least 1");
    }

    [Fact]
    public void Target_size_too_large_is_refused_up_front()
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t["src/c"]);
        File.Copy(Corpus("ok.jpg"), t["src/c/ok.jpg"]);
        var r = CliRunner.Run("stats", t["src"], "--target-size", "100000x100000");
        AssertOneLineError(r.Exit, r.Err, "--target-size", "100000x100000");
        r = CliRunner.Run("augment", t["src"], t["out"], "--config", Config(t), "--target-size", "100000x100000");
        AssertOneLineError(r.Exit, r.Err, "--target-size", "100000x100000");
        Assert.False(Directory.Exists(t["out"]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Stats_with_no_images_says_so_and_fails(bool json)
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t["empty"]);
        var r = CliRunner.Run(json ? ["stats", t["empty"], "--json"] : ["stats", t["empty"]]);
        AssertOneLineError(r.Exit, r.Err, "no images");
        Assert.DoesNotContain("NaN", r.Out);

        Directory.CreateDirectory(t["bad/c"]);
        File.Copy(Corpus("zero-bytes.jpg"), t["bad/c/a.jpg"]);
        File.Copy(Corpus("text.jpg"), t["bad/c/b.jpg"]);
        r = CliRunner.Run(json ? ["stats", t["bad"], "--json", "--on-error", "skip"] : ["stats", t["bad"], "--on-error", "skip"]);
        Assert.Equal(1, r.Exit);
        Assert.Contains("no images could be read", r.Err);
        Assert.Contains("all 2 file(s) were skipped", r.Err);
        Assert.DoesNotContain("NaN", r.Out);
    }

    /// <summary>The whole corpus plus the run-time kinds in one tree.</summary>
    private static TempDir CorpusTree()
    {
        var t = new TempDir();
        Directory.CreateDirectory(t["src/c"]);
        foreach (var f in Directory.GetFiles(HostileCorpusTests.Folder)) File.Copy(f, t["src/c/" + Path.GetFileName(f)]);
        if (!OperatingSystem.IsWindows())
        {
            HostileCorpusTests.MakeFifo(t["src/c/fifo.jpg"]);
            File.CreateSymbolicLink(t["src/c/broken-link.jpg"], t["src/c/nowhere.jpg"]);
            File.CreateSymbolicLink(t["src/c/loop1.png"], t["src/c/loop2.png"]);
            File.CreateSymbolicLink(t["src/c/loop2.png"], t["src/c/loop1.png"]);
        }
        Directory.CreateDirectory(t["src/c/folder.jpg"]);
        return t;
    }

    private static IEnumerable<string> ListedBadKinds() => HostileCorpusTests.Expected
        .Where(e => e.Value is not null && ImageFiles.HasImageExtension(e.Key)).Select(e => e.Key)
        .Concat(OperatingSystem.IsWindows() ? [] : ["fifo.jpg", "broken-link.jpg", "loop1.png", "loop2.png"]);

    [Fact]
    public void Stats_and_augment_over_the_whole_corpus_finish_under_skip_and_stop_with_one_line_under_throw()
    {
        using var t = CorpusTree();
        var bad = ListedBadKinds().ToArray();
        var r = CliRunner.Run("stats", t["src"], "--on-error", "skip", "--json", "--workers", "2");
        Assert.True(r.Exit == 0, r.Err);
        using (var doc = JsonDocument.Parse(r.Out))
        {
            var skipped = doc.RootElement.GetProperty("skipped").EnumerateArray().Select(s => Path.GetFileName(s.GetProperty("path").GetString()!)).ToArray();
            Assert.Equal(bad.Order(), skipped.Order());
        }
        foreach (var f in bad) Assert.Contains(f, r.Err); // logged as it happens

        r = CliRunner.Run("augment", t["src"], t["out"], "--config", Config(t), "--on-error", "skip", "--workers", "2");
        Assert.True(r.Exit == 0, r.Err);
        Assert.Contains($"skipped {bad.Length} unreadable file(s)", r.Out);
        foreach (var f in bad) Assert.Contains(f, r.Out);

        r = CliRunner.Run("stats", t["src"], "--workers", "1");
        AssertOneLineError(r.Exit, r.Err, "Cannot read image");
        r = CliRunner.Run("augment", t["src"], t["out-throw"], "--config", Config(t), "--workers", "1");
        AssertOneLineError(r.Exit, r.Err, "Cannot read image");
    }

    [Fact]
    public void Resume_with_a_different_seed_is_refused_until_overwrite()
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t["src/c"]);
        File.Copy(Corpus("ok.jpg"), t["src/c/a.jpg"]);
        File.Copy(Corpus("ok.png"), t["src/c/b.png"]);
        string config = Config(t);
        Assert.Equal(0, CliRunner.Run("augment", t["src"], t["out"], "--config", config, "--seed", "1").Exit);
        var r = CliRunner.Run("augment", t["src"], t["out"], "--config", config, "--seed", "2");
        AssertOneLineError(r.Exit, r.Err, "seed: 1 before, 2 now", "--overwrite");
        r = CliRunner.Run("augment", t["src"], t["out"], "--config", config, "--seed", "2", "--overwrite");
        Assert.Equal(0, r.Exit);
        Assert.Contains("wrote 2 augmented", r.Out);
        r = CliRunner.Run("augment", t["src"], t["out"], "--config", config, "--seed", "2", "--prefix", "../x");
        AssertOneLineError(r.Exit, r.Err, "--prefix '../x'");
    }

    private static Process StartCli(params string[] args) => StartCli(null, args);

    private static Process StartCli(string? tempDir, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (tempDir is not null) psi.Environment["TMPDIR"] = tempDir; // Path.GetTempPath() of the child
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Mirage.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    private static TempDir SlowTree()
    {
        var t = new TempDir();
        var photo = File.ReadAllBytes(CliRunner.Sample("chelsea.jpg"));
        Directory.CreateDirectory(t["src/c"]);
        for (int i = 0; i < 16; i++) File.WriteAllBytes(t[$"src/c/{i:D2}.jpg"], photo);
        return t;
    }

    /// <summary>Waits until the run has written some outputs (or <paramref name="p"/> ended).</summary>
    private static void WaitForOutputs(Process p, string outDir, int atLeast)
    {
        var sw = Stopwatch.StartNew();
        while (!p.HasExited && sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (Directory.Exists(outDir) && Directory.EnumerateFiles(outDir, "*.png", SearchOption.AllDirectories).Count() >= atLeast) return;
            Thread.Sleep(20);
        }
    }

    [Fact]
    public void Sigterm_stops_augment_cleanly_with_exit_130_and_kill_9_leftovers_are_cleaned_on_resume()
    {
        if (OperatingSystem.IsWindows()) return;
        using var t = SlowTree();
        string config = Config(t);
        string[] args = ["augment", t["src"], t["out"], "--config", config, "--per-image", "3", "--workers", "1", "--seed", "3"];

        using (var p = StartCli(args))
        {
            WaitForOutputs(p, t["out"], 3);
            Assert.False(p.HasExited, "the run finished before it could be interrupted");
            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString()])) kill.WaitForExit();
            Assert.True(p.WaitForExit(60_000));
            string err = p.StandardError.ReadToEnd();
            Assert.Equal(130, p.ExitCode);
            Assert.Contains("interrupted by SIGTERM", err);
            Assert.Contains("Run the same command again to resume", err);
        }
        Assert.Empty(Directory.GetFiles(t["out"], "*.tmp", SearchOption.AllDirectories));

        // kill -9 mid-run, several times: temp files may be left; the resume removes them.
        for (int round = 0; round < 2; round++)
            using (var p = StartCli(args))
            {
                WaitForOutputs(p, t["out"], 10 + 15 * round);
                if (!p.HasExited) p.Kill();
                p.WaitForExit();
            }
        // A leftover of the killed writers' naming, as kill -9 can leave one.
        File.WriteAllText(Path.Combine(t["out"], "c", $".00_aug_0.png.{Guid.NewGuid():N}.tmp"), "half");

        using (var p = StartCli(args))
        {
            Assert.True(p.WaitForExit(120_000));
            Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        }
        Assert.Empty(Directory.GetFiles(t["out"], "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(48, Directory.GetFiles(t["out"], "*.png", SearchOption.AllDirectories).Length);

        // Byte-identical to an uninterrupted run.
        string[] clean = [.. args];
        clean[2] = t["clean"];
        using (var p = StartCli(clean)) p.WaitForExit();
        var a = AugmentRunnerTests.Snapshot(t["out"]);
        var b = AugmentRunnerTests.Snapshot(t["clean"]);
        Assert.Equal(b.Keys.Order(), a.Keys.Order());
        foreach (var k in b.Keys) Assert.True(b[k].AsSpan().SequenceEqual(a[k]), k);
    }

    [Fact]
    public void Sigint_during_bench_without_dir_removes_its_generated_tree()
    {
        if (OperatingSystem.IsWindows()) return;
        using var temp = new TempDir(); // the child's own temp folder: other tests' bench trees cannot be mistaken for its
        using var p = StartCli(temp.Path, "bench", "--seconds", "30", "--workers", "1");
        string? tree = null;
        var sw = Stopwatch.StartNew();
        while (tree is null && !p.HasExited && sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            tree = Directory.GetDirectories(temp.Path, "mirage-bench-*").FirstOrDefault();
            Thread.Sleep(50);
        }
        Assert.NotNull(tree);
        Thread.Sleep(500);
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString()])) kill.WaitForExit();
        Assert.True(p.WaitForExit(60_000));
        string err = p.StandardError.ReadToEnd();
        Assert.True(p.ExitCode == 130, $"exit {p.ExitCode}: {err}");
        Assert.Contains("interrupted by SIGINT (Ctrl-C)", err);
        Assert.False(Directory.Exists(tree));
        Assert.Empty(Directory.GetDirectories(temp.Path, "mirage-bench-*"));
    }

    /// <summary>Issue 11 item 8: kill -9 runs no handler, so the generated tree survived for good. Its name now carries
    /// the pid, and the next bench that generates a tree removes it once that process is gone.</summary>
    [Fact]
    public void Kill_9_during_bench_leaves_a_tree_the_next_bench_removes()
    {
        if (OperatingSystem.IsWindows()) return;
        using var temp = new TempDir(); // the children's own temp folder: no other run sweeps it meanwhile
        string? tree = null;
        using (var p = StartCli(temp.Path, "bench", "--seconds", "600", "--workers", "1", "--classes", "1", "--per-class", "2"))
        {
            var sw = Stopwatch.StartNew();
            while (tree is null && !p.HasExited && sw.Elapsed < TimeSpan.FromSeconds(60))
            {
                tree = Directory.GetDirectories(temp.Path, $"mirage-bench-{p.Id}-*").FirstOrDefault();
                Thread.Sleep(50);
            }
            p.Kill(); // SIGKILL
            p.WaitForExit();
        }
        Assert.NotNull(tree);
        Assert.True(Directory.Exists(tree), "kill -9 left no tree: the test would prove nothing");

        using var next = StartCli(temp.Path, "bench", "--seconds", "0.1", "--first-seconds", "0", "--classes", "1", "--per-class", "2",
            "--target-size", "16x16");
        string err = next.StandardError.ReadToEnd();
        next.StandardOutput.ReadToEnd();
        Assert.True(next.WaitForExit(120_000));
        Assert.True(next.ExitCode == 0, err);
        Assert.Contains("removed 1 sample tree(s)", err);
        Assert.False(Directory.Exists(tree));
        Assert.Empty(Directory.GetDirectories(temp.Path, "mirage-bench-*")); // and the next run's own tree is gone too
    }

    /// <summary>Issue 11 item 4 for `preview` (folders are covered above): a FIFO named .jpg is refused in one line and
    /// never blocks (a plain open would wait for a writer forever).</summary>
    [Fact]
    public async Task A_fifo_given_to_preview_is_refused_in_one_line_without_hanging()
    {
        if (OperatingSystem.IsWindows()) return;
        using var t = new TempDir();
        HostileCorpusTests.MakeFifo(t["fifo.jpg"]);
        var run = Task.Run(() => CliRunner.Run("preview", t["fifo.jpg"], "--config", Config(t), "--out", t["grid.png"]));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60)); // TimeoutException: preview blocked on the FIFO
        AssertOneLineError(result.Exit, result.Err, "fifo.jpg", "not a regular file");
        Assert.False(File.Exists(t["grid.png"]));
    }

    /// <summary>Issue 11 item 8 with Ctrl-C (SIGTERM is tested above): exit 130, how to resume, no temp files left.</summary>
    [Fact]
    public void Sigint_stops_augment_with_exit_130_and_says_how_to_resume()
    {
        if (OperatingSystem.IsWindows()) return;
        using var t = SlowTree();
        string[] args = ["augment", t["src"], t["out"], "--config", Config(t), "--per-image", "3", "--workers", "1", "--seed", "3"];
        using var p = StartCli(args);
        WaitForOutputs(p, t["out"], 3);
        Assert.False(p.HasExited, $"the run ended before it could be interrupted: exit {(p.HasExited ? p.ExitCode : 0)}, {(p.HasExited ? p.StandardError.ReadToEnd() : "")}");
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString()])) kill.WaitForExit();
        Assert.True(p.WaitForExit(60_000));
        string err = p.StandardError.ReadToEnd();
        Assert.True(p.ExitCode == 130, $"exit {p.ExitCode}: {err}");
        Assert.Contains("interrupted by SIGINT (Ctrl-C)", err);
        Assert.Contains("Run the same command again to resume", err);
        Assert.Empty(Directory.GetFiles(t["out"], "*.tmp", SearchOption.AllDirectories));
    }

    /// <summary>Issue 11 item 15: `augment` reads GIFs as `preview` does (the first frame).</summary>
    [Fact]
    public void Augment_reads_a_gif_as_preview_does()
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t["src/c"]);
        File.Copy(Path.Combine(HostileCorpusTests.Folder, "ok.gif"), t["src/c/ok.gif"]);
        var r = CliRunner.Run("augment", t["src"], t["out"], "--config", Config(t), "--per-image", "1", "--seed", "1");
        Assert.True(r.Exit == 0, r.Err);
        Assert.True(File.Exists(t["out/c/ok_aug_0.png"]));
        using var first = ImageDecoder.Decode(t["src/c/ok.gif"], ColorMode.Rgb);
        using var written = ImageDecoder.Decode(t["out/c/ok_aug_0.png"], ColorMode.Rgb);
        Assert.Equal((first.Height, first.Width), (written.Height, written.Width));
    }
}
