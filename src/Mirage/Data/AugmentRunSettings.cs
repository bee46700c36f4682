using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mirage.Data;

/// <summary>
/// The settings that decide an augment run's bytes, recorded beside its manifest (<see cref="AugmentRunner.SettingsName"/>).
/// A resume must match them: otherwise "0 written, N already done" would keep outputs made with other settings, or a
/// larger --per-image would mix two runs in one dataset. Workers, logging and the bad-file policy do not change bytes.
/// </summary>
internal static class RunSettings
{
    public static JsonObject Of(AugmentOptions o) => new()
    {
        ["seed"] = o.Seed,
        ["per_image"] = o.PerImage,
        ["target_size"] = o.TargetSize is { } t ? new JsonArray(t.Height, t.Width) : null,
        ["interpolation"] = o.Interpolation.ToString().ToLowerInvariant(),
        ["keep_aspect_ratio"] = o.KeepAspectRatio,
        ["color_mode"] = o.ColorMode.ToString().ToLowerInvariant(),
        ["format"] = o.Format.ToString().ToLowerInvariant(),
        ["extension"] = AugmentRunner.OutputExtension(o),
        ["jpeg_quality"] = o.Format == Codecs.ImageFormat.Jpeg ? o.JpegQuality : null,
        ["prefix"] = o.Prefix,
        ["config"] = o.Config is null ? null : JsonNode.Parse(o.Config),
    };

    /// <summary>
    /// Compares this run's settings with the recorded ones. Equal (or nothing recorded and nothing written): records
    /// them and goes on. Different: refuses, saying what differs and what to do; with <paramref name="overwrite"/>,
    /// deletes the previous run's outputs (only the files its manifest lists) and its manifest first.
    /// </summary>
    public static void Reconcile(string dst, string manifestPath, JsonObject settings, bool overwrite, TextWriter? log)
    {
        string path = Path.Combine(dst, AugmentRunner.SettingsName);
        JsonObject? recorded = null;
        if (File.Exists(path))
        {
            try { recorded = JsonNode.Parse(File.ReadAllText(path)) as JsonObject; }
            catch (JsonException) { } // unreadable: treated as different settings
            recorded ??= [];
        }
        bool previousRun = recorded is not null || File.Exists(manifestPath);
        var differences = recorded is null
            ? (File.Exists(manifestPath) ? ["the manifest was written without recorded settings"] : new List<string>())
            : Differences(recorded, settings);
        if (previousRun && differences.Count > 0)
        {
            if (!overwrite)
                throw new MirageException($"The output folder '{dst}' holds a run with other settings ({string.Join("; ", differences)}). " +
                    "Re-run with the same settings to resume it, write into a new output folder, or pass --overwrite (Overwrite = true) " +
                    "to delete that run's outputs and start again.");
            int removed = DeletePreviousRun(dst, manifestPath);
            log?.WriteLine($"mirage: --overwrite: deleted {removed} output(s) of the previous run in '{dst}' ({string.Join("; ", differences)})");
        }
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
    }

    private static List<string> Differences(JsonObject recorded, JsonObject now)
    {
        var list = new List<string>();
        foreach (var key in now.Select(p => p.Key).Union(recorded.Select(p => p.Key)))
        {
            recorded.TryGetPropertyValue(key, out var before);
            now.TryGetPropertyValue(key, out var after);
            if (!JsonNode.DeepEquals(before, after))
                list.Add(key == "config" ? "config: the augmentation settings differ" : $"{key}: {Show(before)} before, {Show(after)} now");
        }
        return list;
    }

    private static string Show(JsonNode? n) => n?.ToJsonString() ?? "none";

    private static int DeletePreviousRun(string dst, string manifestPath)
    {
        int removed = 0;
        string root = Path.GetFullPath(dst) + Path.DirectorySeparatorChar;
        if (File.Exists(manifestPath))
        {
            foreach (var line in File.ReadLines(manifestPath))
            {
                if (AugmentRunner.OutputOf(line) is not { } output) continue;
                string full = Path.GetFullPath(Path.Combine(dst, output));
                if (!full.StartsWith(root, StringComparison.Ordinal) || !File.Exists(full)) continue; // only inside OUT
                File.Delete(full);
                removed++;
            }
            File.Delete(manifestPath);
        }
        return removed;
    }
}
