using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Mirage.Codecs;
using Mirage.Imaging;
using Mirage.Data;

namespace Mirage.Tests.Data;

/// <summary>
/// Issue 11's resource limit: flow_from_directory with 2 workers over the hostile corpus (bombs in every format, FIFO,
/// links) plus camera-size photos stays under 1 GB peak resident memory. Measured in a child process (`mirage
/// flow-bench`, which reports VmHWM) so the test host's own memory does not count. tools/hostile_rss.sh does the same
/// by hand with /usr/bin/time -v over more photos.
/// </summary>
public class HostileMemoryTests
{
    [Fact]
    public async Task Two_worker_flow_over_the_corpus_and_camera_photos_peaks_under_1_GB()
    {
        if (!OperatingSystem.IsLinux()) return; // VmHWM
        using var t = new TempDir();
        Directory.CreateDirectory(t["tree/c"]);
        foreach (var f in Directory.GetFiles(HostileCorpusTests.Folder)) File.Copy(f, t["tree/c/" + Path.GetFileName(f)]);
        HostileCorpusTests.MakeFifo(t["tree/c/fifo.jpg"]);
        File.CreateSymbolicLink(t["tree/c/broken-link.jpg"], t["tree/c/nowhere.jpg"]);
        // Camera-size photos: a 12 Mpx JPEG (decoded at a DCT scale) and a 12 Mpx PNG (decoded at full size).
        using (var photo = new Image<byte>(3000, 4000, 3))
        {
            var span = photo.Span;
            for (int i = 0; i < span.Length; i++) span[i] = (byte)(i * 7 % 251 ^ i / 12000);
            ImageEncoder.Save(photo, t["tree/c/camera.jpg"], ImageFormat.Jpeg);
            ImageEncoder.Save(photo, t["tree/c/camera.png"], ImageFormat.Png);
        }
        File.WriteAllText(t["config.json"], """{"rotation_range": 20, "horizontal_flip": true}""");

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Mirage.Cli.dll"), "flow-bench", t["tree"], "--workers", "2",
                     "--on-error", "skip", "--target-size", "224x224", "--batch-size", "8", "--config", t["config.json"] })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(deadline.Token); // throws when flow-bench hangs
        string output = await stdout, errors = await stderr;
        Assert.True(p.ExitCode == 0, errors);
        var m = Regex.Match(output, @"peak RSS ([0-9.]+) MiB");
        Assert.True(m.Success, output);
        double peak = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(peak < 1024, $"peak RSS {peak} MiB");
        int bad = HostileCorpusTests.Expected.Count(e => e.Value is not null && ImageFiles.HasImageExtension(e.Key)) + 2;
        Assert.Contains($"skipped {bad}", output);
    }
}
