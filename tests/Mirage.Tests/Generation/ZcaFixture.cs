using System.Text.Json;

namespace Mirage.Tests.Generation;

/// <summary>Reads tests/Mirage.Tests/Fixtures/zca (written by tools/zca_fixtures.py): raw little-endian arrays + manifest.json.</summary>
internal static class ZcaFixture
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "zca");
    private static readonly Lazy<JsonDocument> Manifest = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "manifest.json"))));

    public static JsonElement Case(string name) => Manifest.Value.RootElement.GetProperty("cases").GetProperty(name);

    public static (double[] Data, int[] Shape) Read(string name)
    {
        var entry = Manifest.Value.RootElement.GetProperty("arrays").GetProperty(name);
        var shape = entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var bytes = File.ReadAllBytes(Path.Combine(Dir, entry.GetProperty("file").GetString()!));
        long count = shape.Aggregate(1L, (a, b) => a * b);
        double[] data = entry.GetProperty("dtype").GetString() switch
        {
            "float32" => Enumerable.Range(0, (int)count).Select(i => (double)BitConverter.ToSingle(bytes, 4 * i)).ToArray(),
            "float64" => Enumerable.Range(0, (int)count).Select(i => BitConverter.ToDouble(bytes, 8 * i)).ToArray(),
            var t => throw new InvalidDataException($"unknown dtype {t}"),
        };
        Assert.Equal(count * (entry.GetProperty("dtype").GetString() == "float32" ? 4 : 8), bytes.Length);
        return (data, shape);
    }

    /// <summary>An N×H×W×C array as N images.</summary>
    public static List<Mirage.Imaging.Image<float>> Images(string name)
    {
        var (data, shape) = Read(name);
        int n = shape[0], per = shape[1] * shape[2] * shape[3];
        var list = new List<Mirage.Imaging.Image<float>>();
        for (int i = 0; i < n; i++)
            list.Add(Mirage.Imaging.Image<float>.Wrap(data.Skip(i * per).Take(per).Select(v => (float)v).ToArray(), shape[1], shape[2], shape[3]));
        return list;
    }
}
