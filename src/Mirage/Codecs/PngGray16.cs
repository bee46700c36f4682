using System.Buffers.Binary;
using System.IO.Compression;

namespace Mirage.Codecs;

/// <summary>
/// 16-bit grayscale PNG as Keras 1.1.0's load_img gets it: Pillow opens it as mode I (0..65535) and convert()
/// clips at 255, so 0..255 keep their value and everything above is 255. Skia only hands out 8 bits (the high byte,
/// also through its half-float path), so Mirage reads the samples itself: IDAT inflated, rows unfiltered, Adam7
/// passes placed. Skia has already checked the header when this runs.
/// </summary>
internal static class PngGray16
{
    /// <summary>True for a PNG whose IHDR says bit depth 16, colour type 0 (gray, no alpha).</summary>
    public static bool Is(ReadOnlySpan<byte> data) =>
        data.Length >= 29 && data.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])
        && data.Slice(12, 4).SequenceEqual("IHDR"u8) && data[24] == 16 && data[25] == 0;

    /// <summary>The clipped gray values, one byte per pixel, into <paramref name="target"/> (width × height).</summary>
    public static void DecodeClipped(ReadOnlySpan<byte> data, int width, int height, Span<byte> target, string name)
    {
        bool interlaced = data[28] == 1;
        var compressed = new MemoryStream();
        for (int pos = 8; pos + 12 <= data.Length;)
        {
            int length = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data.Slice(pos)), int.MaxValue);
            var type = data.Slice(pos + 4, 4);
            if ((long)pos + 12 + length > data.Length) break;
            if (type.SequenceEqual("IDAT"u8)) compressed.Write(data.Slice(pos + 8, length));
            if (type.SequenceEqual("IEND"u8)) break;
            pos += 12 + length;
        }
        compressed.Position = 0;
        using var z = new ZLibStream(compressed, CompressionMode.Decompress);
        ReadOnlySpan<(int X, int Y, int Dx, int Dy)> passes = interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)];
        foreach (var (x0, y0, dx, dy) in passes)
        {
            int w = (width - x0 + dx - 1) / dx, h = (height - y0 + dy - 1) / dy;
            if (w <= 0 || h <= 0) continue;
            var previous = new byte[w * 2];
            var row = new byte[w * 2 + 1];
            for (int y = 0; y < h; y++)
            {
                int got;
                try { got = z.ReadAtLeast(row, row.Length, throwOnEndOfStream: false); }
                // zlib reports a broken stream as InvalidDataException or (ZLibException) IOException.
                catch (Exception e) when (e is InvalidDataException or IOException) { throw new ImageDecodeException(name, "corrupt image data", e); }
                if (got < row.Length) throw new ImageDecodeException(name, $"truncated: only {y} of {h} rows decoded");
                var line = row.AsSpan(1);
                Unfilter(row[0], line, previous, name);
                line.CopyTo(previous);
                int ty = y0 + y * dy;
                for (int x = 0; x < w; x++)
                    target[ty * width + x0 + x * dx] = (byte)Math.Min(255, (int)BinaryPrimitives.ReadUInt16BigEndian(line.Slice(2 * x)));
            }
        }
    }

    /// <summary>PNG's five row filters with 2 bytes per pixel.</summary>
    private static void Unfilter(byte filter, Span<byte> line, ReadOnlySpan<byte> up, string name)
    {
        const int Bpp = 2;
        for (int i = 0; i < line.Length; i++)
        {
            int a = i >= Bpp ? line[i - Bpp] : 0, b = up[i], c = i >= Bpp ? up[i - Bpp] : 0;
            line[i] += filter switch
            {
                0 => 0,
                1 => (byte)a,
                2 => (byte)b,
                3 => (byte)((a + b) >> 1),
                4 => (byte)Paeth(a, b, c),
                _ => throw new ImageDecodeException(name, $"corrupt image data: unknown PNG row filter {filter}"),
            };
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
