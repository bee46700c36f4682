using ScottPlot;
using SkiaSharp;

namespace Mirage.Cli.Plots;

/// <summary>
/// Line charts as PNG files (ScottPlot) with text that renders on any machine: every font ScottPlot asks for resolves
/// to the DejaVu Sans embedded in this assembly (Plots/Fonts, Bitstream Vera licence), so no system font or fontconfig
/// is needed — SkiaSharp's NoDependencies build finds none and would otherwise draw no text at all.
/// </summary>
public static class LinePlot
{
    /// <summary>The family name plots use (the embedded font's).</summary>
    public const string FontName = "DejaVu Sans";

    /// <summary>
    /// Writes a line chart of each named series (x[i], y[i]) to <paramref name="path"/> (atomically), with a title, axis
    /// labels and a legend. Series are drawn in the order given; NaN values leave gaps.
    /// </summary>
    public static void Save(string path, string title, string xLabel, string yLabel,
        IEnumerable<KeyValuePair<string, (double[] X, double[] Y)>> series, int width = 900, int height = 560)
    {
        ArgumentNullException.ThrowIfNull(series);
        AtomicFile.WriteAllBytes(path, Render(title, xLabel, yLabel, series, width, height));
    }

    /// <summary>The same chart as PNG bytes.</summary>
    public static byte[] Render(string title, string xLabel, string yLabel,
        IEnumerable<KeyValuePair<string, (double[] X, double[] Y)>> series, int width = 900, int height = 560)
    {
        if (width < 100 || height < 100) throw new ArgumentException($"A plot needs at least 100×100 pixels; got {width}×{height}.");
        EmbeddedFont.Register();
        var plot = new Plot();
        int count = 0;
        foreach (var (name, (x, y)) in series)
        {
            if (x.Length != y.Length)
                throw new ArgumentException($"Series '{name}' has {x.Length} x values but {y.Length} y values.");
            var line = plot.Add.Scatter(x, y);
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = 5;
            count++;
        }
        if (!string.IsNullOrEmpty(title)) plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (count > 0) plot.ShowLegend(Alignment.LowerRight);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Resolves every font request to the embedded DejaVu Sans.</summary>
    internal sealed class EmbeddedFont : IFontResolver
    {
        private static readonly Lazy<SKTypeface> Typeface = new(Load);
        private static int _registered;

        /// <summary>The embedded typeface (loaded once).</summary>
        public static SKTypeface Instance => Typeface.Value;

        /// <summary>Installs the resolver first in ScottPlot's list and makes it the default font (once per process).</summary>
        public static void Register()
        {
            if (Interlocked.Exchange(ref _registered, 1) == 1) return;
            Fonts.FontResolvers.Insert(0, new EmbeddedFont());
            Fonts.Default = FontName;
        }

        private static SKTypeface Load()
        {
            using var stream = typeof(LinePlot).Assembly.GetManifestResourceStream("Mirage.Cli.Plots.Fonts.DejaVuSans.ttf")
                               ?? throw new InvalidOperationException("The embedded font Plots/Fonts/DejaVuSans.ttf is missing from Mirage.Cli.");
            using var data = SKData.Create(stream);
            return SKTypeface.FromData(data)
                   ?? throw new InvalidOperationException("SkiaSharp could not load the embedded font Plots/Fonts/DejaVuSans.ttf.");
        }

        public SKTypeface CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) => Instance;

        public SKTypeface CreateTypeface(string fontName, bool bold, bool italic) => Instance;
    }
}
