using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mirage.Codecs;
using Mirage.Data;
using Mirage.Kernels.Geometric;

namespace Mirage.Cli.Commands;

/// <summary>`mirage stats DIR [--target-size WxH] [--json]`: streaming per-channel mean and std of a folder tree.</summary>
public static class StatsCommand
{
    /// <summary>`mirage stats DIR`: streaming per-channel mean and standard deviation of a folder tree; output goes to <paramref name="stdout"/>/<paramref name="stderr"/> (the console when null).</summary>
    public static Command Create(TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var dir = new Argument<string>("DIR") { Description = "Folder of images (searched recursively, Keras's extensions plus webp)." };
        var targetSize = CommandRunner.TargetSizeOption("Resize every image to WIDTHxHEIGHT first, as flow_from_directory would");
        var interpolation = new Option<string>("--interpolation") { Description = "Resize filter: nearest, bilinear, bicubic, lanczos, box, hamming.", DefaultValueFactory = _ => "nearest" };
        var colorMode = new Option<string>("--color-mode") { Description = "grayscale, rgb or rgba.", DefaultValueFactory = _ => "rgb" };
        var workers = new Option<int>("--workers") { Description = "Worker threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var onError = new Option<string>("--on-error") { Description = "Unreadable files: throw or skip.", DefaultValueFactory = _ => "throw" };
        var json = new Option<bool>("--json") { Description = "Print JSON (mean and std load into a generator's Mean/Std)." };
        var followLinks = new Option<bool>("--follow-links") { Description = "Descend into symbolic links to folders." };
        var maxPixels = MaxPixelsOption.Create();
        var command = new Command("stats", "Per-channel mean and standard deviation of every image under a folder, computed by streaming.")
        {
            dir, targetSize, interpolation, colorMode, workers, onError, json, followLinks, maxPixels,
        };
        command.SetAction(parse =>
        {
            var output = stdout ?? Console.Out;
            var errors = stderr ?? Console.Error;
            return CommandRunner.Run(errors, () =>
            {
                var stats = CommandRunner.WithProgress("reading", output, progress => FeaturewiseStatistics.OfDirectory(
                    parse.GetValue(dir)!,
                    CommandRunner.ParseSize(parse.GetValue(targetSize), "--target-size"),
                    CommandRunner.ParseEnum<ColorMode>(parse.GetValue(colorMode)!, "--color-mode"),
                    CommandRunner.Workers(parse.GetValue(workers)),
                    CommandRunner.ParseEnum<BadFilePolicy>(parse.GetValue(onError)!, "--on-error"),
                    followLinks: parse.GetValue(followLinks),
                    log: TextWriter.Synchronized(errors),
                    interpolation: CommandRunner.ParseEnum<ResizeInterpolation>(parse.GetValue(interpolation)!, "--interpolation"),
                    progress: progress,
                    maxPixels: MaxPixelsOption.Read(parse, maxPixels)));
                if (stats.Images == 0) throw NoImages(parse.GetValue(dir)!, stats);
                if (parse.GetValue(json)) output.WriteLine(ToJson(stats));
                else
                {
                    output.WriteLine($"images: {stats.Images}   pixels per channel: {stats.Pixels}");
                    for (int c = 0; c < stats.Mean.Length; c++)
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"channel {c}: mean {stats.Mean[c]:F6}  std {stats.Std[c]:F6}"));
                    if (stats.Skipped.Count > 0)
                        output.WriteLine($"skipped {stats.Skipped.Count} unreadable file(s): " + string.Join("; ", stats.Skipped.Select(s => $"{s.Path} ({s.Reason})")));
                }
            }, onErrorHint: true);
        });
        return command;
    }

    /// <summary>Mean and std of nothing are undefined: an error (exit 1), never NaN or a JSON encoder failure.</summary>
    private static MirageException NoImages(string dir, FeaturewiseStatistics s) => new(s.Skipped.Count == 0
        ? $"no images in '{dir}' (looked for {string.Join(", ", ImageFiles.Extensions)} files, recursively); point stats at a folder of images."
        : $"no images could be read in '{dir}': all {s.Skipped.Count} file(s) were skipped as unreadable (listed above).");

    internal static string ToJson(FeaturewiseStatistics s)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = Utf8JsonEncoder.Instance }))
        {
            w.WriteStartObject();
            w.WriteNumber("images", s.Images);
            w.WriteNumber("pixels", s.Pixels);
            w.WriteStartArray("mean");
            foreach (var v in s.Mean) w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteStartArray("std");
            foreach (var v in s.Std) w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteStartArray("skipped");
            foreach (var b in s.Skipped)
            {
                w.WriteStartObject();
                w.WriteString("path", b.Path);
                w.WriteString("reason", b.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }
}
