using System.Diagnostics;
using Mirage.Codecs;
using Mirage.Imaging;
using Mirage.Kernels.Photometric;

namespace Mirage.Benchmarks;

/// <summary>
/// `clahe SAMPLES_DIR [seconds]`: CLAHE per image on the photos tools/clahe_speed.py times scikit-image and OpenCV on
/// (a 224×224 RGB crop of chelsea.jpg, astronaut.jpg as 512×512 gray; also a 28×28 crop of it as a Fashion-MNIST-sized
/// 0..255 float image), vector and scalar paths, interleaved in rounds
/// so a noisy machine slows them alike. Prints the median and best milliseconds per image.
/// </summary>
public static class ClaheQuick
{
    public static void Run(string samples, double seconds)
    {
        using var chelsea = ImageDecoder.Decode(Path.Combine(samples, "chelsea.jpg"), ColorMode.Rgb);
        using var rgb = new Image<byte>(224, 224, 3);
        for (int y = 0; y < 224; y++) chelsea.Row(y + 40).Slice(120 * 3, 224 * 3).CopyTo(rgb.Row(y));
        using var rgbFloat = ImageConvert.ToFloat(rgb);
        using var gray = ImageDecoder.Decode(Path.Combine(samples, "astronaut.jpg"), ColorMode.Grayscale);
        using var rgbDst = new Image<float>(rgb.Info);
        using var grayDst = new Image<float>(gray.Info);
        using var small = new Image<float>(28, 28, 1); // a Fashion-MNIST-sized 0..255 image (the experiment's clahe arm)
        for (int i = 0; i < small.Length; i++) small.Span[i] = gray.Span[(200 + i / 28) * gray.Width + 240 + i % 28];
        using var smallDst = new Image<float>(small.Info);
        var p = new ClaheParameters { ClipLimit = 0.03 };
        var cases = new (string Name, Action Once)[]
        {
            ("224x224 RGB uint8 -> float [0,1]", () => Clahe.Apply(rgb.Span, rgb.Info, rgbDst.Span, p, vectorized: true)),
            ("224x224 RGB uint8, scalar path", () => Clahe.Apply(rgb.Span, rgb.Info, rgbDst.Span, p, vectorized: false)),
            ("224x224 RGB float 0..255 (preprocessing_function)", () => Clahe.Apply(rgbFloat.Span, rgbFloat.Info, rgbDst.Span, p, 255f, vectorized: true)),
            ($"{gray.Height}x{gray.Width} gray uint8 -> float [0,1]", () => Clahe.Apply(gray.Span, gray.Info, grayDst.Span, p, vectorized: true)),
            ($"{gray.Height}x{gray.Width} gray uint8, scalar path", () => Clahe.Apply(gray.Span, gray.Info, grayDst.Span, p, vectorized: false)),
            ("28x28 gray float 0..255 (Fashion-MNIST)", () => Clahe.Apply(small.Span, small.Info, smallDst.Span, p, 255f, vectorized: true)),
        };
        foreach (var c in cases) c.Once(); // warm-up
        var rounds = cases.Select(_ => new List<double>()).ToArray();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
            for (int k = 0; k < cases.Length; k++)
            {
                var t = Stopwatch.StartNew();
                int n = 0;
                do { cases[k].Once(); n++; } while (t.Elapsed.TotalMilliseconds < 50);
                rounds[k].Add(t.Elapsed.TotalMilliseconds / n);
            }
        for (int k = 0; k < cases.Length; k++)
        {
            var r = rounds[k].Order().ToArray();
            Console.WriteLine($"{cases[k].Name,-52} median {r[r.Length / 2],7:F3} ms   best {r[0],7:F3} ms   ({r.Length} rounds)");
        }
    }
}
