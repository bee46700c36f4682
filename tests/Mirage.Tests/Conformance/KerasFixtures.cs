using System.Text.Json;
using Mirage.Codecs;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Transforms;

namespace Mirage.Tests.Conformance;

/// <summary>One case of tools/keras_fixtures.py's manifest.</summary>
public sealed record KerasCase(
    string Id, string Input, string Expected, TransformParameters Params, string ParamsJson,
    FillMode FillMode, float Cval, Interpolation Order, bool KerasCompatible)
{
    public WarpOptions Warp => new(Order, FillMode, Cval, KerasCompatible);
    public override string ToString() => Id;
}

/// <summary>How close an output is to the Keras reference (0–255 scale).</summary>
public readonly record struct FixtureStats(int Count, double WithinOneFraction, double MeanAbsDiff, double MaxAbsDiff, int Off)
{
    public override string ToString() =>
        $"within 1.0: {WithinOneFraction:P3}, mean |diff|: {MeanAbsDiff:F4}, max |diff|: {MaxAbsDiff:F3}, " +
        $"{Off} value(s) beyond {KerasFixtures.MaxAbsDiff} over {Count} values";
}

/// <summary>Loads the committed Keras fixtures (tests/Mirage.Tests/Fixtures/keras from tools/keras_fixtures.py and
/// Fixtures/keras-params from tools/keras_param_fixtures.py, copied to the test output). A case's Input and Expected
/// are relative to <see cref="Folder"/>.</summary>
public static class KerasFixtures
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    private static readonly Lazy<IReadOnlyList<KerasCase>> All = new(() => [.. LoadManifest("keras"), .. LoadManifest("keras-params")]);

    public static IReadOnlyList<KerasCase> Cases() => All.Value;

    public static KerasCase Case(string id) => Cases().Single(c => c.Id == id);

    public static Image<float> LoadInput(KerasCase c) => NpyFile.ReadImageFloat(Path.Combine(Folder, c.Input));

    public static Image<float> LoadExpected(KerasCase c) => NpyFile.ReadImageFloat(Path.Combine(Folder, c.Expected));

    /// <summary>Runs Mirage's <see cref="KerasTransform"/> on the case's input.</summary>
    public static Image<float> RunMirage(KerasCase c)
    {
        using var input = LoadInput(c);
        var output = new Image<float>(input.Info);
        KerasTransform.Apply(input, output, c.Params, c.Warp);
        return output;
    }

    /// <summary>The largest |diff| allowed per value (0–255 scale), in both modes, as the README states: the exactness
    /// the cases reach (today every value is bit-equal), so a bug that spoils a single pixel fails.</summary>
    public const double MaxAbsDiff = 1e-3;

    /// <summary>Whether <paramref name="stats"/> meets the bound: no value beyond <see cref="MaxAbsDiff"/>. (The
    /// fixture scripts compute sin/cos with libm on every CPU, tools/numpy_portable.py; numpy's AVX-512 SVML sin once
    /// moved a border pixel of five shear cases across scipy's 'constant' edge.)</summary>
    public static bool Conforms(FixtureStats stats) => stats.Off == 0;

    public static FixtureStats Compare(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        if (actual.Length != expected.Length)
            throw new ArgumentException($"Lengths differ: {actual.Length} actual, {expected.Length} expected.");
        int within = 0, off = 0;
        double sum = 0, max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double d = Math.Abs((double)actual[i] - expected[i]);
            if (double.IsNaN(d)) d = double.PositiveInfinity;
            if (d <= 1.0) within++;
            if (!(d <= MaxAbsDiff)) off++;
            sum += d;
            max = Math.Max(max, d);
        }
        int n = Math.Max(actual.Length, 1);
        return new FixtureStats(actual.Length, (double)within / n, sum / n, max, off);
    }

    private static IReadOnlyList<KerasCase> LoadManifest(string subfolder)
    {
        string path = Path.Combine(Folder, subfolder, "manifest.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var list = new List<KerasCase>();
        foreach (var e in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            string id = e.GetProperty("id").GetString()!;
            string paramsJson = e.GetProperty("params").GetRawText();
            list.Add(new KerasCase(
                id,
                Path.Combine(subfolder, e.GetProperty("input").GetString()!),
                Path.Combine(subfolder, e.GetProperty("expected").GetString()!),
                TransformParameters.FromJson(paramsJson, $"{path} ({id})"),
                paramsJson,
                e.GetProperty("fill_mode").GetString() switch
                {
                    "constant" => FillMode.Constant,
                    "nearest" => FillMode.Nearest,
                    "reflect" => FillMode.Reflect,
                    "wrap" => FillMode.Wrap,
                    var m => throw new FormatException($"{path}: unknown fill_mode '{m}' in case {id}."),
                },
                e.GetProperty("cval").GetSingle(),
                (Interpolation)e.GetProperty("order").GetInt32(),
                e.GetProperty("keras_compatible").GetBoolean()));
        }
        return list;
    }
}
