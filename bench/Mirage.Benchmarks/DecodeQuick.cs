using Mirage.Codecs;

namespace Mirage.Benchmarks;

/// <summary>
/// `decode DIR [SECONDS]`: per JPEG of DIR, libjpeg-turbo at full size, libjpeg-turbo at 1/8 and Mirage's own 1/8
/// decoder (<see cref="JpegEighthDecoder"/>), interleaved rounds; first checks the two 1/8 decodes give the same bytes.
/// </summary>
internal static class DecodeQuick
{
    public static void Run(string dir, double seconds)
    {
        var files = Directory.EnumerateFiles(dir, "*.jp*g", SearchOption.AllDirectories).Order().Select(File.ReadAllBytes).ToArray();
        if (files.Length == 0) throw new ArgumentException($"no JPEG files under {dir}");
        int same = 0;
        foreach (var f in files)
        {
            TurboJpeg.TryReadSize(f, out int w, out int h);
            TurboJpeg.TryDecode(f, ColorMode.Rgb, out var turbo, (w + 7) / 8, (h + 7) / 8, ownEighthDecoder: false);
            if (JpegEighthDecoder.TryDecode(f, ColorMode.Rgb, out var own) && own!.Span.SequenceEqual(turbo!.Span)) same++;
            turbo?.Dispose();
            own?.Dispose();
        }
        Console.WriteLine($"{files.Length} JPEGs, Mirage 1/8 == libjpeg-turbo 1/8 on {same}");
        Rounds.Run(
        [
            ("libjpeg-turbo full size", 1, i => Full(files[i % files.Length])),
            ("libjpeg-turbo 1/8", 1, i => Eighth(files[i % files.Length])),
            ("Mirage 1/8", 1, i => { JpegEighthDecoder.TryDecode(files[i % files.Length], ColorMode.Rgb, out var img); img?.Dispose(); }),
        ], seconds);
    }

    private static void Full(byte[] f) { TurboJpeg.TryDecode(f, ColorMode.Rgb, out var img); img?.Dispose(); }

    private static void Eighth(byte[] f)
    {
        TurboJpeg.TryReadSize(f, out int w, out int h);
        TurboJpeg.TryDecode(f, ColorMode.Rgb, out var img, (w + 7) / 8, (h + 7) / 8, ownEighthDecoder: false);
        img?.Dispose();
    }
}
