using CsCheck;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;

namespace Mirage.Tests.Kernels.Geometric;

/// <summary>The specialized nearest resize (one move per pixel, repeated rows copied) against Pillow's rule written
/// out per value (ImagingScaleAffine: positions accumulate in double from box + scale / 2). ResizeTests compares both
/// with Pillow itself.</summary>
public class ResizeNearestTests
{
    private static Image<byte> Reference(Image<byte> src, int outH, int outW, ResizeBox b)
    {
        var dst = new Image<byte>(outH, outW, src.Channels);
        double sx = (double)(b.Right - b.Left) / outW, sy = (double)(b.Bottom - b.Top) / outH;
        double yo = b.Top + sy * 0.5;
        for (int y = 0; y < outH; y++, yo += sy)
        {
            int yi = Math.Clamp(yo < 0 ? -1 : (int)yo, 0, src.Height - 1);
            double xo = b.Left + sx * 0.5;
            for (int x = 0; x < outW; x++, xo += sx)
            {
                int xi = Math.Clamp(xo < 0 ? -1 : (int)xo, 0, src.Width - 1);
                for (int c = 0; c < src.Channels; c++) dst[y, x, c] = src[yi, xi, c];
            }
        }
        return dst;
    }

    [Fact]
    public void EqualsThePerValueRuleForEveryChannelCountSizeAndBox()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40], Gen.Int[1, 5], Gen.Int[1, 60], Gen.Int[1, 60], Gen.Bool, Gen.ULong)
            .Sample((h, w, c, outH, outW, boxed, seed) =>
            {
                using var src = Kernels.TestImages.RandomByte(h, w, c, seed);
                var box = boxed ? new ResizeBox(w / 4f, h / 3f, w - w / 5f, h) : ResizeBox.Full(h, w);
                using var expected = Reference(src, outH, outW, box);
                using var actual = new Image<byte>(outH, outW, c);
                Resize.Apply(src, actual, ResizeInterpolation.Nearest, boxed ? box : null);
                Assert.True(expected.Span.SequenceEqual(actual.Span), $"{w}x{h}x{c} -> {outW}x{outH}, box {boxed}");
            }, iter: 400);
    }
}
