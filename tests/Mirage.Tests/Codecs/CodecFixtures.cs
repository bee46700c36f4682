using System.Text.Json;
using Mirage.Codecs;
using Mirage.Imaging;

namespace Mirage.Tests.Codecs;

/// <summary>
/// Fixtures written by tools/codec_fixtures.py: small encoded images plus Pillow/Keras oracles as raw uint8 HWC
/// bytes whose shapes are in manifest.json.
/// </summary>
internal static class CodecFixtures
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "codecs");

    public static string PathOf(string file) => Path.Combine(Folder, file);

    private static readonly Lazy<JsonElement> Manifest = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(PathOf("manifest.json"))).RootElement);

    public sealed record Entry(string File, bool Exact, string Note, string PilMode);

    public static IEnumerable<Entry> Images() =>
        Manifest.Value.GetProperty("images").EnumerateArray().Select(e => new Entry(
            e.GetProperty("file").GetString()!,
            e.GetProperty("exact").GetBoolean(),
            e.GetProperty("note").GetString()!,
            e.GetProperty("pil_mode").GetString()!));

    public static string ModeName(ColorMode mode) => mode switch
    {
        ColorMode.Grayscale => "grayscale",
        ColorMode.Rgb => "rgb",
        _ => "rgba",
    };

    /// <summary>The oracle for <paramref name="file"/> decoded with <paramref name="mode"/>.</summary>
    public static Image<byte> Oracle(string file, ColorMode mode)
    {
        var image = Manifest.Value.GetProperty("images").EnumerateArray()
            .Single(e => e.GetProperty("file").GetString() == file);
        var oracle = image.GetProperty("oracle").GetProperty(ModeName(mode));
        return LoadRaw(oracle);
    }

    public static Image<byte> OrientedOracle() => LoadRaw(Manifest.Value.GetProperty("orient6_transposed"));

    private static Image<byte> LoadRaw(JsonElement oracle)
    {
        var shape = oracle.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var bytes = File.ReadAllBytes(PathOf(oracle.GetProperty("raw").GetString()!));
        Assert.Equal(shape[0] * shape[1] * shape[2], bytes.Length);
        return Image<byte>.Wrap(bytes, shape[0], shape[1], shape[2]);
    }

    public readonly record struct Diff(int Max, double Mean, int Count, int FirstIndex);

    public static Diff Compare(Image<byte> actual, Image<byte> expected)
    {
        Assert.Equal(expected.Info, actual.Info);
        var a = actual.Span;
        var e = expected.Span;
        int max = 0, count = 0, first = -1;
        long sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int d = Math.Abs(a[i] - e[i]);
            if (d == 0) continue;
            if (first < 0) first = i;
            count++;
            sum += d;
            if (d > max) max = d;
        }
        return new Diff(max, (double)sum / a.Length, count, first);
    }
}
