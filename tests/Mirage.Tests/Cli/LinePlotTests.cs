using Mirage.Cli.Plots;
using Mirage.Codecs;
using Mirage.Imaging;

namespace Mirage.Tests.Cli;

public class LinePlotTests
{
    private static readonly KeyValuePair<string, (double[] X, double[] Y)>[] Series =
    [
        new("none", ([1, 2, 3, 4, 5], [0.62, 0.71, 0.76, 0.79, 0.80])),
        new("clahe", ([1, 2, 3, 4, 5], [0.60, 0.73, 0.79, 0.82, 0.84])),
    ];

    private static Image<byte> Decode(byte[] png) => ImageDecoder.Decode(png, ColorMode.Rgb, "plot.png");

    /// <summary>Pixels in rows [top, bottom) that differ between two images of one size.</summary>
    private static int Differing(Image<byte> a, Image<byte> b, int top, int bottom)
    {
        int n = 0;
        for (int y = top; y < bottom; y++)
            for (int x = 0; x < a.Width; x++)
                if (a[y, x, 0] != b[y, x, 0] || a[y, x, 1] != b[y, x, 1] || a[y, x, 2] != b[y, x, 2]) n++;
        return n;
    }

    [Fact]
    public void EmbeddedFontHasGlyphs()
    {
        var typeface = LinePlot.EmbeddedFont.Instance;
        Assert.Equal(LinePlot.FontName, typeface.FamilyName);
        Assert.True(typeface.GlyphCount > 1000, $"{typeface.GlyphCount} glyphs");
        var glyphs = typeface.GetGlyphs("Validation macro-F1 épocas 0.85");
        Assert.DoesNotContain((ushort)0, glyphs); // 0 = .notdef: a character the font cannot draw
    }

    /// <summary>
    /// Text is really drawn: changing only the title changes pixels in the title band and nowhere else; the same holds
    /// for the x label (bottom band) and a series name (the legend). Without a usable font all of these stay blank.
    /// </summary>
    [Fact]
    public void TitleLabelsAndLegendAreDrawn()
    {
        using var a = Decode(LinePlot.Render("Validation macro-F1", "epoch", "macro-F1", Series, 600, 400));
        using var b = Decode(LinePlot.Render("Training loss", "epoch", "macro-F1", Series, 600, 400));
        Assert.Equal((400, 600), (a.Height, a.Width));
        Assert.True(Differing(a, b, 0, 30) > 300, $"the title band differs in {Differing(a, b, 0, 30)} pixels");
        Assert.Equal(0, Differing(a, b, 40, 400));

        using var c = Decode(LinePlot.Render("Validation macro-F1", "epoch number", "macro-F1", Series, 600, 400));
        Assert.True(Differing(a, c, 370, 400) > 100, $"the x label band differs in {Differing(a, c, 370, 400)} pixels");

        var renamed = Series.Select(s => s.Key == "clahe" ? new KeyValuePair<string, (double[] X, double[] Y)>("CLAHE 0.03", s.Value) : s).ToArray();
        using var d = Decode(LinePlot.Render("Validation macro-F1", "epoch", "macro-F1", renamed, 600, 400));
        Assert.True(Differing(a, d, 40, 370) > 100, "renaming a series changed no pixel: the legend draws no text");
    }

    [Fact]
    public void SaveWritesAPngAtomicallyAndChecksSeries()
    {
        string dir = CliRunner.TempFolder();
        string path = Path.Combine(dir, "f1.png");
        LinePlot.Save(path, "Validation macro-F1", "epoch", "macro-F1", Series);
        using var image = ImageDecoder.Decode(path, ColorMode.Rgb);
        Assert.Equal((560, 900), (image.Height, image.Width));
        Assert.Single(Directory.GetFiles(dir));
        var e = Assert.Throws<ArgumentException>(() => LinePlot.Render("t", "x", "y", [new("bad", ([1, 2], [1]))]));
        Assert.Contains("'bad'", e.Message);
        Directory.Delete(dir, true);
    }
}
