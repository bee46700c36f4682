using Mirage.Codecs;

namespace Mirage.Tests.Codecs;

public class TurboJpegTests
{
    [Fact]
    public void CiMachineHasLibjpegTurbo()
    {
        // .ci/run installs libturbojpeg0 and sets MIRAGE_REQUIRE_TURBOJPEG=1; without the library every JPEG would
        // silently take the slow SkiaSharp path there. Elsewhere it is optional (the fallback has its own tests).
        if (NativeDependency.TurboJpegPresent()) Assert.Equal("libjpeg-turbo", ImageDecoder.JpegDecoder);
    }

    [Theory]
    [InlineData(4000, 3000, 224, 224, 500, 375)]
    [InlineData(1024, 768, 224, 224, 384, 288)]
    [InlineData(224, 224, 224, 224, 224, 224)]
    [InlineData(640, 480, 0, 0, 640, 480)]
    public void ScaledSizeIsTheSmallestScaleCoveringTheTarget(int w, int h, int minW, int minH, int expectW, int expectH)
    {
        if (!NativeDependency.TurboJpegPresent()) return; // needs libturbojpeg's scaling factors
        Assert.Equal((expectW, expectH), TurboJpeg.ScaledSize(w, h, minW, minH));
    }

    [Fact]
    public void DecodeAtLeastShrinksAJpegAndStaysCloseToTheFullDecode()
    {
        if (!NativeDependency.TurboJpegPresent()) return; // SkiaSharp decodes at full size
        string path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "samples", "astronaut.jpg");
        using var full = ImageDecoder.Decode(path, ColorMode.Rgb);
        using var half = ImageDecoder.DecodeAtLeast(path, ColorMode.Rgb, full.Width / 2, full.Height / 2);
        Assert.Equal((full.Height / 2, full.Width / 2, 3), (half.Height, half.Width, half.Channels));
        // The 1/2-scale IDCT is a low-pass of the full image: compare with a 2×2 box average of the full decode.
        double sum = 0;
        for (int y = 0; y < half.Height; y++)
            for (int x = 0; x < half.Width; x++)
                for (int c = 0; c < 3; c++)
                {
                    double box = (full[2 * y, 2 * x, c] + full[2 * y + 1, 2 * x, c] + full[2 * y, 2 * x + 1, c] + full[2 * y + 1, 2 * x + 1, c]) / 4.0;
                    sum += Math.Abs(half[y, x, c] - box);
                }
        double mean = sum / half.Length;
        Assert.True(mean < 4, $"mean |half − box(full)| = {mean:F2}");
    }

    [Fact]
    public void NonJpegFilesAreNotTakenForJpeg()
    {
        Assert.False(TurboJpeg.IsJpeg("\x89PNG"u8));
        Assert.True(TurboJpeg.IsJpeg([0xFF, 0xD8, 0xFF, 0xE0]));
    }
}
