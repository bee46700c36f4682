using System.Text.Json;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;

namespace Mirage.Tests.Kernels.Geometric;

public class ResizeTests
{
    private sealed record Case(string Mode, int Channels, string Filter, int SrcH, int SrcW, int DstH, int DstW, bool KeepAspectRatio, string Input, string Output);

    private static readonly Lazy<List<Case>> Cases = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Resize", "pillow_resize.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var list = new List<Case>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            list.Add(new Case(c.GetProperty("mode").GetString()!, c.GetProperty("channels").GetInt32(), c.GetProperty("filter").GetString()!,
                c.GetProperty("src_h").GetInt32(), c.GetProperty("src_w").GetInt32(), c.GetProperty("dst_h").GetInt32(), c.GetProperty("dst_w").GetInt32(),
                c.GetProperty("keep_aspect_ratio").GetBoolean(), c.GetProperty("input").GetString()!, c.GetProperty("output").GetString()!));
        return list;
    });

    public static TheoryData<string, string> Groups()
    {
        var data = new TheoryData<string, string>();
        foreach (var f in new[] { "nearest", "bilinear", "bicubic", "lanczos", "box", "hamming" })
            foreach (var m in new[] { "L", "RGB", "RGBA" })
                data.Add(f, m);
        return data;
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void MatchesPillowExactly(string filter, string mode)
    {
        var interpolation = Enum.Parse<ResizeInterpolation>(filter, ignoreCase: true);
        int checkedCases = 0;
        foreach (var c in Cases.Value.Where(c => c.Filter == filter && c.Mode == mode))
        {
            var input = Convert.FromBase64String(c.Input);
            using var src = Image<byte>.Wrap(input, c.SrcH, c.SrcW, c.Channels);
            var before = src.Span.ToArray();
            using var dst = Resize.To(src, c.DstH, c.DstW, interpolation, c.KeepAspectRatio);
            var expected = Convert.FromBase64String(c.Output);
            var actual = dst.Span.ToArray();
            int diffs = expected.Zip(actual).Count(p => p.First != p.Second);
            Assert.True(diffs == 0, $"{filter}/{mode} {c.SrcH}x{c.SrcW} -> {c.DstH}x{c.DstW} keep={c.KeepAspectRatio}: {diffs} of {expected.Length} values differ from Pillow");
            Assert.Equal(before, src.Span.ToArray()); // input not mutated
            checkedCases++;
        }
        Assert.True(checkedCases >= 7);
    }

    [Fact]
    public void SameSizeIsACopy()
    {
        using var src = new Image<byte>(3, 4, 3);
        for (int i = 0; i < src.Length; i++) src.Span[i] = (byte)(i * 7);
        foreach (var f in Enum.GetValues<ResizeInterpolation>())
        {
            using var dst = Resize.To(src, 3, 4, f);
            Assert.Equal(src.Span.ToArray(), dst.Span.ToArray());
        }
    }

    [Theory]
    [InlineData(100, 200, 50, 50, 50, 0, 150, 100)]
    [InlineData(200, 100, 50, 50, 0, 50, 100, 150)]
    [InlineData(10, 10, 5, 10, 0, 2, 10, 7)]
    public void CentreCropBoxFollowsKeras(int h, int w, int th, int tw, float left, float top, float right, float bottom) =>
        Assert.Equal(new ResizeBox(left, top, right, bottom), Resize.CentreCropBox(h, w, th, tw));

    [Fact]
    public void OneByOneAndOddSizesWork()
    {
        using var src = new Image<byte>(1, 1, 3);
        src.Span.Fill(200);
        foreach (var f in Enum.GetValues<ResizeInterpolation>())
        {
            using var dst = Resize.To(src, 17, 23, f);
            Assert.All(dst.Span.ToArray(), v => Assert.Equal(200, v));
        }
    }
}
