namespace Mirage.Codecs;

/// <summary>
/// Makes Skia's first GIF frame match Pillow's. Skia writes transparent pixels as (0,0,0,0); Pillow keeps the palette
/// colour of the transparent index (its RGB conversion shows that colour, RGBA gives it alpha 0). Where the first
/// frame is smaller than the canvas, Pillow fills the rest with the transparent index, or index 0 when the frame has
/// no transparency. This reads just enough of the GIF structure (palettes, first graphic control extension, first
/// image descriptor) to repair those pixels in the decoded straight-RGBA buffer.
/// </summary>
internal static class GifFirstFrame
{
    public static void MatchPillow(ReadOnlySpan<byte> gif, Span<byte> rgba, int width, int height)
    {
        if (!TryParse(gif, out var palette, out int transparent, out int fx, out int fy, out int fw, out int fh)) return;
        int x0 = Math.Clamp(fx, 0, width), y0 = Math.Clamp(fy, 0, height);
        int x1 = Math.Clamp(fx + fw, 0, width), y1 = Math.Clamp(fy + fh, 0, height);
        int fillIndex = transparent >= 0 ? transparent : 0;
        bool hasFill = fillIndex * 3 + 2 < palette.Length;
        bool hasTransparentColour = transparent >= 0 && hasFill;

        for (int y = 0; y < height; y++)
        {
            var row = rgba.Slice(y * width * 4, width * 4);
            bool rowInside = y >= y0 && y < y1;
            for (int x = 0; x < width; x++)
            {
                var px = row.Slice(x * 4, 4);
                bool inside = rowInside && x >= x0 && x < x1;
                if (!inside)
                {
                    if (!hasFill) continue;
                    px[0] = palette[fillIndex * 3];
                    px[1] = palette[fillIndex * 3 + 1];
                    px[2] = palette[fillIndex * 3 + 2];
                    px[3] = transparent >= 0 ? (byte)0 : (byte)255;
                }
                else if (hasTransparentColour && px[3] == 0)
                {
                    px[0] = palette[transparent * 3];
                    px[1] = palette[transparent * 3 + 1];
                    px[2] = palette[transparent * 3 + 2];
                }
            }
        }
    }

    /// <summary>Palette in effect for the first frame (local, else global), its transparent index (-1: none) and rectangle.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> gif, out ReadOnlySpan<byte> palette, out int transparent,
        out int frameX, out int frameY, out int frameWidth, out int frameHeight)
    {
        palette = default;
        transparent = -1;
        frameX = frameY = frameWidth = frameHeight = 0;
        if (gif.Length < 13 || gif[0] != 'G' || gif[1] != 'I' || gif[2] != 'F') return false;
        int pos = 13;
        byte screenFlags = gif[10];
        ReadOnlySpan<byte> global = default;
        if ((screenFlags & 0x80) != 0)
        {
            int size = 3 << ((screenFlags & 7) + 1);
            if (pos + size > gif.Length) return false;
            global = gif.Slice(pos, size);
            pos += size;
        }
        while (pos < gif.Length)
        {
            byte block = gif[pos++];
            if (block == 0x21) // extension
            {
                if (pos >= gif.Length) return false;
                byte label = gif[pos++];
                if (label == 0xF9 && pos + 5 <= gif.Length && gif[pos] >= 4 && transparent < 0)
                {
                    if ((gif[pos + 1] & 1) != 0) transparent = gif[pos + 4];
                }
                while (pos < gif.Length && gif[pos] != 0) pos += gif[pos] + 1; // skip sub-blocks
                pos++;
            }
            else if (block == 0x2C) // first image descriptor
            {
                if (pos + 9 > gif.Length) return false;
                frameX = gif[pos] | gif[pos + 1] << 8;
                frameY = gif[pos + 2] | gif[pos + 3] << 8;
                frameWidth = gif[pos + 4] | gif[pos + 5] << 8;
                frameHeight = gif[pos + 6] | gif[pos + 7] << 8;
                byte flags = gif[pos + 8];
                pos += 9;
                palette = global;
                if ((flags & 0x80) != 0)
                {
                    int size = 3 << ((flags & 7) + 1);
                    if (pos + size > gif.Length) return false;
                    palette = gif.Slice(pos, size);
                }
                return true;
            }
            else
            {
                return false; // trailer or unknown block before any image
            }
        }
        return false;
    }
}
