using System.Buffers.Binary;
using System.IO.Compression;
using Mirage.Imaging;

namespace Mirage.Codecs;

/// <summary>
/// Baseline TIFF (first image of the file) as Pillow reads it for Keras's load_img: strips (not tiles), chunky
/// samples, uncompressed, PackBits, LZW or Deflate, horizontal predictor; 1-bit and 8-bit gray (BlackIsZero or
/// WhiteIsZero), 8-bit gray + alpha, 8-bit palette, 8- or 16-bit RGB and RGBA (unassociated or associated alpha),
/// 16-bit gray. Pillow's conventions: 16-bit gray is its mode I;16 and converts clipped at 255; 16-bit colour keeps
/// the high byte; palette entries are colormap / 256; associated alpha is un-premultiplied (v · 255 / a).
/// Anything else (tiles, planar, JPEG or CCITT compression, CMYK, float samples) is an error that says so.
/// </summary>
internal static class TiffDecoder
{
    public static bool IsTiff(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8));

    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> data, string name)
    {
        var d = Directory.Read(data, name);
        return (d.Width, d.Height);
    }

    /// <summary>The size the first directory claims (ImageWidth, ImageLength), read without allocating (the
    /// decompression-bomb check runs before any decoder); false when the header or those tags cannot be read
    /// (<see cref="Decode"/> then says why).</summary>
    public static bool TryReadSize(ReadOnlySpan<byte> data, out long width, out long height)
    {
        width = height = 0;
        if (!IsTiff(data)) return false;
        bool little = data[0] == 'I';
        if (Locate(data, little, out int ifd, out int count) is not null) return false;
        for (int e = 0; e < count; e++) // as Directory.Read takes them: the last entry of each tag wins
        {
            int at = ifd + 2 + 12 * e;
            int tag = U16(data, at, little);
            if (tag is not (256 or 257)) continue;
            if (ValueLayout(data, at, little, out int size, out long n, out long start) is not null || size == 0 || n == 0) return false;
            long value = Value(data, start, size, 0, little);
            if (tag == 256) width = value;
            else height = value;
        }
        return width > 0 && height > 0;
    }

    public static Image<byte> Decode(ReadOnlySpan<byte> data, ColorMode mode, string name)
    {
        var d = Directory.Read(data, name);
        int spp = d.SamplesPerPixel, bits = d.Bits;
        long rowLength = ((long)d.Width * spp * bits + 7) / 8;
        if (rowLength * d.Height > Array.MaxLength) // only under a raised MaxPixels: 16-bit samples take up to 8 bytes a pixel
            throw new ImageDecodeException(name, $"image too large ({d.Width}x{d.Height} pixels): its {spp} samples of {bits} bits do not fit in one buffer (2 GB)");
        int rowBytes = (int)rowLength;
        var raw = new byte[rowLength * d.Height];
        int rowsPerStrip = (int)Math.Min(d.RowsPerStrip, d.Height);
        int strips = (d.Height + rowsPerStrip - 1) / rowsPerStrip;
        if (d.StripOffsets.Length < strips || d.StripByteCounts.Length < strips)
            throw new ImageDecodeException(name, $"corrupt TIFF: {strips} strips needed, {Math.Min(d.StripOffsets.Length, d.StripByteCounts.Length)} listed");
        for (int s = 0; s < strips; s++)
        {
            long offset = d.StripOffsets[s], length = d.StripByteCounts[s];
            if (offset < 0 || offset + length > data.Length)
                throw new ImageDecodeException(name, $"truncated: strip {s} lies beyond the end of the file ({data.Length} bytes)");
            int rows = Math.Min(rowsPerStrip, d.Height - s * rowsPerStrip);
            var dst = raw.AsSpan(s * rowsPerStrip * rowBytes, rows * rowBytes);
            var src = data.Slice((int)offset, (int)length);
            int got = d.Compression switch
            {
                1 => Copy(src, dst),
                32773 => PackBits(src, dst),
                5 => Lzw(src, dst, name),
                8 or 32946 => Inflate(src, dst, name),
                _ => throw new ImageDecodeException(name, $"unsupported TIFF compression {d.Compression}; supported: none, PackBits, LZW, Deflate"),
            };
            if (got < dst.Length) throw new ImageDecodeException(name, $"truncated: strip {s} holds {got} of {dst.Length} bytes");
            if (d.Predictor == 2) UndoPredictor(dst, rows, rowBytes, spp, bits, d.LittleEndian);
        }
        return ToImage(raw, rowBytes, d, mode, name);
    }

    /// <summary>The samples in Keras's <paramref name="mode"/>, converted one row at a time straight into the result
    /// (no second full-size image: a TIFF near the pixel limit costs its raw samples plus the result).</summary>
    private static Image<byte> ToImage(byte[] raw, int rowBytes, Directory d, ColorMode mode, string name)
    {
        int w = d.Width, h = d.Height, spp = d.SamplesPerPixel;
        int channels = d.Photometric == 3 ? 3 : spp == 2 ? 4 : spp;
        int outChannels = PixelConvert.Channels(mode);
        var image = new Image<byte>(h, w, outChannels);
        var o = new byte[w * channels];
        try
        {
            for (int y = 0; y < h; y++)
            {
                var row = raw.AsSpan(y * rowBytes, rowBytes);
                for (int x = 0; x < w; x++)
                {
                    switch (d.Photometric, spp, d.Bits)
                    {
                        case (0 or 1, 1, 1):
                            bool bit = (row[x >> 3] & (0x80 >> (x & 7))) != 0;
                            o[x] = bit == (d.Photometric == 1) ? (byte)255 : (byte)0;
                            break;
                        case (0 or 1, 1, 8):
                            o[x] = d.Photometric == 0 ? (byte)(255 - row[x]) : row[x];
                            break;
                        case (0 or 1, 1, 16): // Pillow's I;16 (it does not invert WhiteIsZero here either), clipped by convert
                            o[x] = (byte)Math.Min(255, Sample16(row, x, d.LittleEndian));
                            break;
                        case (1, 2, 8): // LA → (g, g, g, a)
                            o[4 * x] = o[4 * x + 1] = o[4 * x + 2] = row[2 * x];
                            o[4 * x + 3] = row[2 * x + 1];
                            break;
                        case (3, 1, 8):
                            int i = row[x];
                            if (i * 3 + 2 >= d.ColorMap.Length / 3 * 3 || d.ColorMap.Length < 3 * 256)
                                throw new ImageDecodeException(name, "corrupt TIFF: the palette (ColorMap) is missing or too short");
                            for (int c = 0; c < 3; c++) o[3 * x + c] = (byte)(d.ColorMap[c * 256 + i] / 256);
                            break;
                        case (2, 3 or 4, 8 or 16):
                            for (int c = 0; c < spp; c++)
                                o[spp * x + c] = d.Bits == 8 ? row[spp * x + c] : (byte)(Sample16(row, spp * x + c, d.LittleEndian) >> 8);
                            if (spp == 4) Alpha(o.AsSpan(4 * x, 4), d.ExtraSample);
                            break;
                        default:
                            throw new ImageDecodeException(name, Unsupported(d));
                    }
                }
                PixelConvert.Convert(o, channels, image.Span.Slice(y * w * outChannels, w * outChannels), outChannels);
            }
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>ExtraSamples 1 (associated alpha): Pillow's RGBa unpack, v · 255 / a (integer division, clipped);
    /// 0 (unspecified): Pillow's RGBX, alpha read as 255.</summary>
    private static void Alpha(Span<byte> p, int extra)
    {
        if (extra == 0) p[3] = 255;
        if (extra != 1) return;
        int a = p[3];
        for (int c = 0; c < 3; c++) p[c] = a == 0 ? (byte)0 : (byte)Math.Min(255, p[c] * 255 / a);
    }

    private static string Unsupported(Directory d) =>
        $"unsupported TIFF layout (photometric {d.Photometric}, {d.SamplesPerPixel} samples of {d.Bits} bits); " +
        "supported: 1/8/16-bit gray, 8-bit gray+alpha, 8-bit palette, 8/16-bit RGB and RGBA";

    private static int Sample16(ReadOnlySpan<byte> row, int i, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(row.Slice(2 * i)) : BinaryPrimitives.ReadUInt16BigEndian(row.Slice(2 * i));

    private static void UndoPredictor(Span<byte> strip, int rows, int rowBytes, int spp, int bits, bool little)
    {
        for (int y = 0; y < rows; y++)
        {
            var row = strip.Slice(y * rowBytes, rowBytes);
            if (bits == 8)
                for (int i = spp; i < row.Length; i++) row[i] += row[i - spp];
            else
                for (int i = spp; i < row.Length / 2; i++)
                {
                    int v = (Sample16(row, i, little) + Sample16(row, i - spp, little)) & 0xFFFF;
                    if (little) BinaryPrimitives.WriteUInt16LittleEndian(row.Slice(2 * i), (ushort)v);
                    else BinaryPrimitives.WriteUInt16BigEndian(row.Slice(2 * i), (ushort)v);
                }
        }
    }

    private static int Copy(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        int n = Math.Min(src.Length, dst.Length);
        src[..n].CopyTo(dst);
        return n;
    }

    private static int PackBits(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        int i = 0, o = 0;
        while (i < src.Length && o < dst.Length)
        {
            int n = (sbyte)src[i++];
            if (n >= 0)
            {
                int count = Math.Min(Math.Min(n + 1, src.Length - i), dst.Length - o);
                src.Slice(i, count).CopyTo(dst[o..]);
                i += n + 1;
                o += count;
            }
            else if (n != -128 && i < src.Length)
            {
                int count = Math.Min(1 - n, dst.Length - o);
                dst.Slice(o, count).Fill(src[i++]);
                o += count;
            }
        }
        return o;
    }

    /// <summary>TIFF LZW: MSB-first codes of 9–12 bits, 256 = clear, 257 = end, the width grows one code early.</summary>
    private static int Lzw(ReadOnlySpan<byte> src, Span<byte> dst, string name)
    {
        const int Clear = 256, End = 257;
        var prefix = new short[4096];
        var suffix = new byte[4096];
        var length = new short[4096];
        for (int i = 0; i < 256; i++) { prefix[i] = -1; suffix[i] = (byte)i; length[i] = 1; }
        int next = 258, width = 9, previous = -1, o = 0;
        long bitPos = 0, totalBits = (long)src.Length * 8;
        while (o < dst.Length && bitPos + width <= totalBits)
        {
            int code = 0;
            for (int k = 0; k < width; k++, bitPos++)
                code = code << 1 | (src[(int)(bitPos >> 3)] >> (7 - (int)(bitPos & 7)) & 1);
            if (code == End) break;
            if (code == Clear)
            {
                next = 258;
                width = 9;
                previous = -1;
                continue;
            }
            bool known = code < next && (code < 256 || code >= 258);
            if (!known && !(code == next && previous >= 0 && next < 4096))
                throw new ImageDecodeException(name, "corrupt TIFF: bad LZW code");
            if (previous >= 0 && next < 4096)
            {
                // A known code adds previous + its first byte; an unknown one (KwKwK) previous + previous's first byte.
                prefix[next] = (short)previous;
                suffix[next] = FirstByte(known ? code : previous);
                length[next] = (short)(length[previous] + 1);
                next++;
            }
            // Write the code's string backwards from its end (bytes past the strip's end are dropped).
            int len = length[code];
            for (int k = o + len - 1, c = code; k >= o; k--, c = prefix[c])
                if (k < dst.Length) dst[k] = suffix[c];
            o = Math.Min(o + len, dst.Length);
            previous = code;
            if (next + 1 >= 1 << width && width < 12) width++;
        }
        return o;

        byte FirstByte(int c)
        {
            while (prefix[c] >= 0) c = prefix[c];
            return suffix[c];
        }
    }

    private static int Inflate(ReadOnlySpan<byte> src, Span<byte> dst, string name)
    {
        try
        {
            using var z = new ZLibStream(new MemoryStream(src.ToArray()), CompressionMode.Decompress);
            return z.ReadAtLeast(dst, dst.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException) // zlib's ZLibException is an IOException
        {
            throw new ImageDecodeException(name, $"corrupt TIFF: bad Deflate data ({e.Message})", e);
        }
    }

    /// <summary>The first directory's offset and entry count, or why they cannot be read.</summary>
    private static string? Locate(ReadOnlySpan<byte> data, bool little, out int ifd, out int count)
    {
        ifd = count = 0;
        if (data.Length < 8) return "truncated: the TIFF header ends early";
        long offset = U32(data, 4, little);
        if (offset < 8 || offset + 2 > data.Length) return "truncated: the TIFF directory lies beyond the end of the file";
        ifd = (int)offset;
        count = U16(data, ifd, little);
        return ifd + 2 + 12L * count > data.Length ? "truncated: the TIFF directory ends early" : null;
    }

    private static int U16(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(at)) : BinaryPrimitives.ReadUInt16BigEndian(b.Slice(at));

    private static long U32(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(at)) : BinaryPrimitives.ReadUInt32BigEndian(b.Slice(at));

    /// <summary>Where the <paramref name="n"/> values of the entry at <paramref name="at"/> lie (BYTE, SHORT or LONG;
    /// <paramref name="size"/> 0 for other types), inline or at their offset; or why they cannot be read.</summary>
    private static string? ValueLayout(ReadOnlySpan<byte> b, int at, bool little, out int size, out long n, out long start)
    {
        int type = U16(b, at + 2, little);
        n = U32(b, at + 4, little);
        size = type switch { 1 => 1, 3 => 2, 4 => 4, _ => 0 };
        start = 0;
        if (size == 0) return null;
        if (n > b.Length / size) return "corrupt TIFF: a tag claims more values than the file holds";
        start = n * size <= 4 ? at + 8 : U32(b, at + 8, little);
        return start + n * size > b.Length ? "truncated: a TIFF tag's values lie beyond the end of the file" : null;
    }

    private static long Value(ReadOnlySpan<byte> b, long start, int size, int i, bool little)
    {
        int p = (int)start + i * size;
        return size == 1 ? b[p] : size == 2 ? U16(b, p, little) : U32(b, p, little);
    }

    /// <summary>The tags of the first image file directory that decoding needs.</summary>
    private sealed class Directory
    {
        public bool LittleEndian;
        public int Width, Height, Bits = 1, Compression = 1, Photometric = -1, SamplesPerPixel = 1, Predictor = 1, ExtraSample = -1;
        public long RowsPerStrip = int.MaxValue;
        public long[] StripOffsets = [], StripByteCounts = [];
        public long[] ColorMap = [];

        public static Directory Read(ReadOnlySpan<byte> data, string name)
        {
            if (!IsTiff(data)) throw new ImageDecodeException(name, "not a TIFF file");
            var d = new Directory { LittleEndian = data[0] == 'I' };
            if (Locate(data, d.LittleEndian, out int ifd, out int count) is { } problem) throw new ImageDecodeException(name, problem);
            int planar = 1, sampleFormat = 1, fillOrder = 1;
            bool tiled = false;
            long[] bitsPerSample = [1];
            for (int e = 0; e < count; e++)
            {
                int at = ifd + 2 + 12 * e;
                int tag = U16(data, at, d.LittleEndian);
                if (tag is not (256 or 257 or 258 or 259 or 262 or 266 or 273 or 277 or 278 or 279 or 284 or 317 or 320 or 322 or 323 or 324 or 325 or 338 or 339))
                    continue;
                long[] values = d.ValuesOf(data, at, name);
                long one = values.Length > 0 ? values[0] : tag is >= 322 and <= 325 ? 0
                    : throw new ImageDecodeException(name, $"corrupt TIFF: tag {tag} has no value");
                switch (tag)
                {
                    case 256: d.Width = (int)Math.Min(one, int.MaxValue); break;
                    case 257: d.Height = (int)Math.Min(one, int.MaxValue); break;
                    case 258: bitsPerSample = values; break;
                    case 259: d.Compression = (int)one; break;
                    case 262: d.Photometric = (int)one; break;
                    case 266: fillOrder = (int)one; break;
                    case 273: d.StripOffsets = values; break;
                    case 277: d.SamplesPerPixel = (int)one; break;
                    case 278: d.RowsPerStrip = Math.Max(1, one); break;
                    case 279: d.StripByteCounts = values; break;
                    case 284: planar = (int)one; break;
                    case 317: d.Predictor = (int)one; break;
                    case 320: d.ColorMap = values; break;
                    case 322 or 323 or 324 or 325: tiled = true; break;
                    case 338: d.ExtraSample = (int)one; break;
                    case 339: sampleFormat = (int)one; break;
                }
            }
            // The pixel limit (and so the buffer sizes) was checked from the same tags by TryReadSize before decoding.
            if (d.Width < 1 || d.Height < 1) throw new ImageDecodeException(name, $"invalid image size {d.Width}x{d.Height}");
            if (tiled) throw new ImageDecodeException(name, "unsupported TIFF: tiled images are not supported (only strips)");
            if (planar != 1) throw new ImageDecodeException(name, "unsupported TIFF: planar (separate) sample layout");
            if (fillOrder != 1) throw new ImageDecodeException(name, "unsupported TIFF: reversed bit fill order");
            if (sampleFormat != 1) throw new ImageDecodeException(name, $"unsupported TIFF sample format {sampleFormat} (only unsigned integers)");
            if (d.SamplesPerPixel is < 1 or > 4) throw new ImageDecodeException(name, $"unsupported TIFF: {d.SamplesPerPixel} samples per pixel");
            d.Bits = (int)bitsPerSample[0];
            if (bitsPerSample.Any(b => b != d.Bits)) throw new ImageDecodeException(name, "unsupported TIFF: samples of different bit depths");
            if (d.Predictor is not (1 or 2) || d.Predictor == 2 && d.Bits is not (8 or 16))
                throw new ImageDecodeException(name, $"unsupported TIFF predictor {d.Predictor} for {d.Bits}-bit samples");
            if (d.Photometric < 0) d.Photometric = d.SamplesPerPixel >= 3 ? 2 : 1;
            return d;
        }

        /// <summary>The values of the entry at <paramref name="at"/> (BYTE, SHORT or LONG), inline or at their offset.</summary>
        private long[] ValuesOf(ReadOnlySpan<byte> b, int at, string name)
        {
            if (ValueLayout(b, at, LittleEndian, out int size, out long n, out long start) is { } problem) throw new ImageDecodeException(name, problem);
            if (size == 0) return [];
            var values = new long[n];
            for (int i = 0; i < n; i++) values[i] = Value(b, start, size, i, LittleEndian);
            return values;
        }
    }
}
