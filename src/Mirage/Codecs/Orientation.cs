using Mirage.Imaging;

namespace Mirage.Codecs;

/// <summary>Applies an EXIF orientation (1..8) so the image comes out as a viewer displays it.</summary>
internal static class Orientation
{
    public static Image<byte> Apply(Image<byte> src, int orientation)
    {
        int h = src.Height, w = src.Width, c = src.Channels;
        bool swap = orientation >= 5;
        int outH = swap ? w : h, outW = swap ? h : w;
        // Source (sy, sx) = (y0 + yy·oy + yx·ox, x0 + xy·oy + xx·ox) for output (oy, ox).
        var (y0, yy, yx, x0, xy, xx) = orientation switch
        {
            1 => (0, 1, 0, 0, 0, 1),
            2 => (0, 1, 0, w - 1, 0, -1),          // mirror horizontally
            3 => (h - 1, -1, 0, w - 1, 0, -1),     // rotate 180
            4 => (h - 1, -1, 0, 0, 0, 1),          // mirror vertically
            5 => (0, 0, 1, 0, 1, 0),               // transpose
            6 => (h - 1, 0, -1, 0, 1, 0),          // rotate 90 clockwise
            7 => (h - 1, 0, -1, w - 1, -1, 0),     // transverse
            8 => (0, 0, 1, w - 1, -1, 0),          // rotate 90 counter-clockwise
            _ => throw new ArgumentOutOfRangeException(nameof(orientation), orientation, "EXIF orientation must be 1..8."),
        };
        var dst = new Image<byte>(outH, outW, c);
        var s = src.Span;
        var d = dst.Span;
        int step = (yx * w + xx) * c; // source offset change per output pixel along a row
        for (int oy = 0, di = 0; oy < outH; oy++)
        {
            int si = ((y0 + yy * oy) * w + (x0 + xy * oy)) * c;
            for (int ox = 0; ox < outW; ox++, si += step)
                for (int k = 0; k < c; k++) d[di++] = s[si + k];
        }
        return dst;
    }
}
