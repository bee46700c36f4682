using System.IO.Compression;
using System.Text.Json;
using Mirage.Codecs;
using Mirage.Imaging;
using Mirage.Kernels.Photometric;
using Xunit.Abstractions;
using static Mirage.Tests.Kernels.TestImages;

namespace Mirage.Tests.Kernels.Photometric;

/// <summary>The scikit-image fixtures written by tools/clahe_fixtures.py (gzipped .npy plus manifest.json).</summary>
internal static class ClaheFixtures
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "clahe");

    public sealed record Case(string Name, string Input, string Output, string Kind, ClaheParameters Parameters, float ValueRange);

    public static IReadOnlyList<Case> Cases { get; } = Load();

    private static List<Case> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "manifest.json")));
        var cases = new List<Case>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var k = c.GetProperty("kernel_size");
            var (kh, kw) = k.ValueKind switch
            {
                JsonValueKind.Null => (0, 0),
                JsonValueKind.Number => (k.GetInt32(), k.GetInt32()),
                _ => (k[0].GetInt32(), k[1].GetInt32()),
            };
            var p = new ClaheParameters { ClipLimit = c.GetProperty("clip_limit").GetDouble(), KernelHeight = kh, KernelWidth = kw, NBins = c.GetProperty("nbins").GetInt32() };
            cases.Add(new Case(c.GetProperty("name").GetString()!, c.GetProperty("input").GetString()!, c.GetProperty("output").GetString()!,
                c.GetProperty("kind").GetString()!, p, c.GetProperty("value_range").GetSingle()));
        }
        return cases;
    }

    public static NpyArray Read(string file)
    {
        string path = Path.Combine(Dir, file);
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gz.CopyTo(bytes);
        return NpyFile.Parse(bytes.ToArray(), path);
    }

    public static ImageInfo ShapeOf(NpyArray a) => new(a.Shape[0], a.Shape[1], a.Shape.Length == 3 ? a.Shape[2] : 1);
}

public class ClaheTests(ITestOutputHelper output)
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in ClaheFixtures.Cases) data.Add(c.Name);
        return data;
    }

    private static float[] Run(ClaheFixtures.Case c, NpyArray input, bool vectorized)
    {
        var shape = ClaheFixtures.ShapeOf(input);
        var dst = new float[shape.Length];
        if (c.Kind == "uint8") Clahe.Apply(input.Bytes!, shape, dst, c.Parameters, vectorized);
        else Clahe.Apply(input.Floats!, shape, dst, c.Parameters, c.ValueRange, vectorized);
        return dst;
    }

    /// <summary>
    /// Every committed case against scikit-image: the bound is 1/255 of the range; the implementation follows
    /// scikit-image's arithmetic, so the test holds it to float32 rounding (2e-6 of the range) and prints the maximum.
    /// </summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesScikitImage(string name)
    {
        var c = ClaheFixtures.Cases.Single(k => k.Name == name);
        var input = ClaheFixtures.Read(c.Input);
        var expected = ClaheFixtures.Read(c.Output).Floats!;
        var vector = Run(c, input, vectorized: true);
        var scalar = Run(c, input, vectorized: false);
        Assert.True(vector.AsSpan().SequenceEqual(scalar), "vector and scalar paths differ");
        Assert.Equal(expected.Length, vector.Length);
        double maxDiff = 0;
        for (int i = 0; i < expected.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(vector[i] - expected[i]) / c.ValueRange);
        output.WriteLine($"{name}: max |Mirage − scikit-image| = {maxDiff:G3} (of the range)");
        Assert.True(maxDiff <= 1 / 255.0, $"{name}: max diff {maxDiff}");
        Assert.True(maxDiff <= 2e-6, $"{name}: max diff {maxDiff} is within 1/255 but above float32 rounding: the arithmetic drifted from scikit-image's");
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 1, 3)]
    [InlineData(17, 23, 1)]
    [InlineData(17, 23, 3)]
    [InlineData(8, 5, 4)]
    [InlineData(3, 31, 3)]
    [InlineData(64, 67, 1)]
    public void BatteryInputUntouchedInPlaceEqualsCopyVectorEqualsScalar(int h, int w, int c)
    {
        using var src = RandomFloat(h, w, c, (ulong)(h * 100 + w * 10 + c));
        using var before = src.Clone();
        var p = new ClaheParameters { ClipLimit = 0.02 };
        var vector = new float[src.Length];
        var scalar = new float[src.Length];
        Clahe.Apply(src.Span, src.Info, vector, p, 255f, vectorized: true);
        Clahe.Apply(src.Span, src.Info, scalar, p, 255f, vectorized: false);
        Assert.True(src.Span.SequenceEqual(before.Span), "the kernel wrote into its input");
        Assert.True(vector.AsSpan().SequenceEqual(scalar), "vector and scalar paths differ");
        foreach (float v in vector) Assert.InRange(v, 0f, 255f);
        if (c == 4)
            for (int i = 3; i < vector.Length; i += 4) Assert.Equal(src.Span[i], vector[i]); // alpha is copied through

        using var inPlace = src.Clone();
        Clahe.Apply(inPlace, inPlace, p, 255f);
        Assert.True(inPlace.Span.SequenceEqual(vector), "in place differs from a separate destination");
    }

    [Fact]
    public void BytesEqualIntegerFloatsOverTheirRange()
    {
        // uint8 goes through float64 and 16 bits as v·257; float32 0..255 through /255 and rint(·65535): same levels.
        foreach (int c in new[] { 1, 3 })
        {
            using var bytes = RandomByte(40, 33, c, 7);
            using var floats = ImageConvert.ToFloat(bytes);
            var fromBytes = new float[bytes.Length];
            var fromFloats = new float[bytes.Length];
            var p = new ClaheParameters { ClipLimit = 0.03, KernelHeight = 9, KernelWidth = 7 };
            Clahe.Apply(bytes.Span, bytes.Info, fromBytes, p);
            Clahe.Apply(floats.Span, floats.Info, fromFloats, p, 255f);
            for (int i = 0; i < fromBytes.Length; i++) Assert.Equal(fromBytes[i], fromFloats[i] / 255f, 1e-5);
        }
    }

    [Fact]
    public void ConstantImagesFollowScikitImage()
    {
        // A constant image maps every pixel to level 16383 (its one bin holds the whole tile), and rescale_intensity of a
        // constant clips it to [0, 1]: scikit-image returns all ones for 0, 0.001, 0.5 and 1 alike.
        foreach (var (value, expected) in new[] { (0f, 1f), (0.001f, 1f), (0.5f, 1f), (1f, 1f) })
        {
            var src = Enumerable.Repeat(value, 30).ToArray();
            var dst = new float[30];
            Clahe.Apply(src, new ImageInfo(5, 6, 1), dst, new ClaheParameters());
            Assert.All(dst, v => Assert.Equal(expected, v));
        }
    }

    /// <summary>Histograms with spikes, clipped by scikit-image's clip_histogram (values printed by it, including its
    /// strided hand-out that skips bins and its overshoot).</summary>
    [Theory]
    [InlineData(new[] { 11, 5, 1, 2, 3, 3, 2, 19, 3, 3, 1, 5 }, 9, new[] { 9, 6, 2, 3, 4, 5, 3, 9, 4, 4, 3, 6 })]
    [InlineData(new[] { 0, 7, 2, 51, 4, 8, 6, 22, 5, 5, 9, 11, 4, 4, 3, 9 }, 20, new[] { 3, 9, 5, 20, 7, 10, 9, 20, 8, 7, 12, 13, 7, 6, 6, 11 })]
    [InlineData(new[] { 0, 3, 0, 3, 4, 8, 4, 2, 2, 1, 1, 4, 4, 3, 15, 0, 1, 1, 1, 3 }, 7, new[] { 1, 3, 1, 3, 5, 7, 5, 2, 3, 1, 2, 4, 5, 3, 7, 0, 2, 1, 2, 3 })]
    [InlineData(new[] { 14, 66, 11, 6, 9, 42, 3, 6, 8 }, 30, new[] { 20, 30, 18, 13, 16, 30, 10, 13, 15 })]
    [InlineData(new[] { 15, 8, 0, 1, 4, 2 }, 5, new[] { 5, 5, 5, 5, 5, 5 })]
    public void ClipHistogramRedistributesLikeScikitImage(int[] hist, int clim, int[] expected)
    {
        Clahe.ClipHistogram(hist, clim);
        Assert.Equal(expected, hist);
    }

    [Fact]
    public void ErrorsNameTheProblem()
    {
        var dst = new float[12];
        var e = Assert.Throws<ArgumentException>(() => Clahe.Apply(new float[12], new ImageInfo(2, 3, 2), dst, new ClaheParameters()));
        Assert.Contains("1 (gray), 3 (RGB) or 4 (RGBA)", e.Message);
        var values = new float[6];
        values[4] = 300f;
        e = Assert.Throws<ArgumentException>(() => Clahe.Apply(values, new ImageInfo(2, 3, 1), dst, new ClaheParameters(), 255f));
        Assert.Contains("row 1, column 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => Clahe.Apply(new float[6], new ImageInfo(2, 3, 1), dst, default(ClaheParameters)));
        Assert.Contains("nbins", e.Message);
        e = Assert.Throws<ArgumentException>(() => Clahe.Apply(new float[6], new ImageInfo(2, 3, 1), dst, new ClaheParameters { ClipLimit = -1 }));
        Assert.Contains("clip_limit", e.Message);
        e = Assert.Throws<ArgumentException>(() => Clahe.Apply(new float[6], new ImageInfo(2, 3, 1), dst, new ClaheParameters(), float.NaN));
        Assert.Contains("valueRange", e.Message);
    }
}
