using System.Globalization;
using System.Text;
using System.Text.Json;
using Mirage.TorchSharp.Experiments;

namespace Mirage.Cli.Experiment;

/// <summary>Per-arm summary of an experiment's runs: mean and spread of the test scores, and the difference to "none".</summary>
public sealed record ArmSummary(string Arm, int Runs, double MeanMacroF1, double SdMacroF1, double MinMacroF1, double MaxMacroF1,
    double MeanAccuracy, double? DeltaToNone, double MeanSeconds, double MeanDataWaitFraction)
{
    /// <summary>Groups <paramref name="runs"/> by arm: mean and spread of test macro-F1 over seeds, and the difference from the no-augmentation arm.</summary>
    public static IReadOnlyList<ArmSummary> Of(IReadOnlyList<ExperimentRun> runs)
    {
        var arms = runs.GroupBy(r => r.Arm).Select(g =>
        {
            var f1 = g.Select(r => r.MacroF1).ToArray();
            double mean = f1.Average();
            double sd = f1.Length > 1 ? Math.Sqrt(f1.Sum(v => (v - mean) * (v - mean)) / (f1.Length - 1)) : 0;
            return new ArmSummary(g.Key, f1.Length, mean, sd, f1.Min(), f1.Max(), g.Average(r => r.Accuracy), null,
                g.Average(r => r.Seconds), g.Average(r => r.DataWaitFraction));
        }).ToList();
        var none = arms.FirstOrDefault(a => a.Arm == "none");
        return none is null ? arms : arms.Select(a => a with { DeltaToNone = a.MeanMacroF1 - none.MeanMacroF1 }).ToList();
    }
}

/// <summary>The experiment's outputs: a terminal table, one JSON object, and a markdown report with PNG plots.</summary>
public static class ExperimentReport
{
    private static string F(double v, string format = "F4") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The plain-text results table printed by `mirage experiment`, one row per arm.</summary>
    public static string Table(IReadOnlyList<ArmSummary> arms)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{"arm",-12} {"runs",4}  {"test macro-F1 (mean ± sd)",-26} {"Δ vs none",9}  {"accuracy",8}  {"s/run",6}  {"data wait",9}");
        foreach (var a in arms)
            sb.AppendLine($"{a.Arm,-12} {a.Runs,4}  {F(a.MeanMacroF1) + " ± " + F(a.SdMacroF1),-26} " +
                          $"{(a.DeltaToNone is { } d ? (d >= 0 ? "+" : "") + F(d) : "—"),9}  {F(a.MeanAccuracy),8}  {F(a.MeanSeconds, "F1"),6}  {F(a.MeanDataWaitFraction, "P1"),9}");
        return sb.ToString();
    }

    /// <summary>One JSON object with the settings and every run (per arm and seed), as `mirage experiment --json` prints it.</summary>
    public static string Json(ExperimentSettings settings, IReadOnlyList<ExperimentRun> runs)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("data", settings.Data);
            w.WriteNumber("epochs", settings.Epochs);
            w.WriteNumber("batch_size", settings.BatchSize);
            w.WriteNumber("samples_per_epoch_factor", settings.SamplesPerEpochFactor);
            w.WriteStartArray("runs");
            foreach (var r in runs)
            {
                w.WriteStartObject();
                w.WriteString("arm", r.Arm);
                w.WriteNumber("seed", r.Seed);
                w.WriteNumber("macro_f1", Math.Round(r.MacroF1, 6));
                w.WriteNumber("accuracy", Math.Round(r.Accuracy, 6));
                w.WriteNumber("seconds", Math.Round(r.Seconds, 3));
                w.WriteNumber("data_wait_fraction", Math.Round(r.DataWaitFraction, 6));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("arms");
            foreach (var a in ArmSummary.Of(runs))
            {
                w.WriteStartObject();
                w.WriteString("arm", a.Arm);
                w.WriteNumber("runs", a.Runs);
                w.WriteNumber("mean_macro_f1", Math.Round(a.MeanMacroF1, 6));
                w.WriteNumber("sd_macro_f1", Math.Round(a.SdMacroF1, 6));
                if (a.DeltaToNone is { } d) w.WriteNumber("delta_to_none", Math.Round(d, 6));
                w.WriteNumber("mean_accuracy", Math.Round(a.MeanAccuracy, 6));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Writes report.md, val_macro_f1.png and val_loss.png (per-epoch means over seeds, one line per arm) into <paramref name="directory"/>.</summary>
    public static void Write(string directory, ExperimentSettings settings, IReadOnlyList<ExperimentRun> runs)
    {
        Directory.CreateDirectory(directory);
        var arms = ArmSummary.Of(runs);
        foreach (var (metric, file, label) in new[]
                 {
                     ("val_macro_f1", "val_macro_f1.png", "validation macro-F1"),
                     ("val_loss", "val_loss.png", "validation loss"),
                 })
        {
            var series = runs.GroupBy(r => r.Arm).Select(g =>
            {
                int epochs = g.Min(r => r.History.Epochs.Count);
                var x = Enumerable.Range(1, epochs).Select(e => (double)e).ToArray();
                var y = Enumerable.Range(0, epochs).Select(e => g.Average(r => r.History.Epochs[e].Get(metric) ?? double.NaN)).ToArray();
                return (g.Key, x, y);
            }).ToList();
            Plots.LinePlot.Save(Path.Combine(directory, file), $"{label} per epoch (mean over seeds)", "epoch", label,
                series.Select(s => KeyValuePair.Create(s.Key, (s.x, s.y))).ToList());
        }
        var md = new StringBuilder();
        md.AppendLine("# Augmentation experiment").AppendLine();
        md.AppendLine($"Data: {settings.Data}. Small CNN, Adam {F(settings.LearningRate, "G")}, batch {settings.BatchSize}, {settings.Epochs} epochs; " +
                      $"arms with a generator draw {F(settings.SamplesPerEpochFactor, "G")} × N samples per epoch, `none` one pass. Seeds: {string.Join(", ", runs.Select(r => r.Seed).Distinct())}.").AppendLine();
        md.AppendLine($"Command: `{settings.Command}`").AppendLine();
        md.AppendLine("| arm | runs | test macro-F1 mean ± sd | Δ vs none | accuracy | seconds/run | data wait |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var a in arms)
            md.AppendLine($"| {a.Arm} | {a.Runs} | {F(a.MeanMacroF1)} ± {F(a.SdMacroF1)} | {(a.DeltaToNone is { } d ? (d >= 0 ? "+" : "") + F(d) : "—")} | {F(a.MeanAccuracy)} | {F(a.MeanSeconds, "F1")} | {F(a.MeanDataWaitFraction, "P1")} |");
        md.AppendLine().AppendLine("| arm | seed | macro-F1 | accuracy | seconds | data wait |").AppendLine("|---|---|---|---|---|---|");
        foreach (var r in runs)
            md.AppendLine($"| {r.Arm} | {r.Seed} | {F(r.MacroF1)} | {F(r.Accuracy)} | {F(r.Seconds, "F1")} | {F(r.DataWaitFraction, "P1")} |");
        md.AppendLine().AppendLine("![validation macro-F1](val_macro_f1.png)").AppendLine().AppendLine("![validation loss](val_loss.png)");
        AtomicFile.WriteAllBytes(Path.Combine(directory, "report.md"), Encoding.UTF8.GetBytes(md.ToString()));
    }
}

/// <summary>What the report says about how the experiment was run.</summary>
public sealed record ExperimentSettings(string Data, int Epochs, int BatchSize, double SamplesPerEpochFactor, double LearningRate, string Command);
