using Mirage.Imaging;

namespace Mirage.Codecs;

/// <summary>
/// Netpbm images (PBM/PGM/PPM: P1–P6, 8- and 16-bit maxval) decoded as Pillow's PpmImagePlugin does, which is what
/// Keras's load_img reads: a maxval other than 255 is rescaled with round(v / maxval · out) (Python's round half to
/// even), where out is 65535 for a gray image with maxval above 255 (Pillow's mode I, later clipped at 255 by
/// convert) and 255 otherwise; bitmaps are 0 (ink) and 255.
/// </summary>
internal static class PnmDecoder
{
    public static bool IsPnm(ReadOnlySpan<byte> data) =>
        data.Length >= 3 && data[0] == (byte)'P' && data[1] is >= (byte)'1' and <= (byte)'6' && IsSpace(data[2]);

    /// <summary>Width and height from the header.</summary>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> data, string name)
    {
        var h = ReadHeader(data, name);
        return (h.Width, h.Height);
    }

    /// <summary>The size the header claims, read without allocating (the decompression-bomb check runs before any
    /// decoder); false when the header is malformed (<see cref="Decode"/> then says why).</summary>
    public static bool TryReadSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = height = 0;
        int pos = 2;
        return IsPnm(data) && TryToken(data, ref pos, out width) && TryToken(data, ref pos, out height);
    }

    public static Image<byte> Decode(ReadOnlySpan<byte> data, ColorMode mode, string name)
    {
        var h = ReadHeader(data, name);
        int channels = h.Magic is '3' or '6' ? 3 : 1;
        long count = (long)h.Width * h.Height * channels;
        var pixels = new byte[count];
        var body = data[h.DataStart..];
        switch (h.Magic)
        {
            case '4': Bitmap(body, pixels, h, name); break;
            case '1': PlainBitmap(body, pixels, name); break;
            case '2' or '3': Plain(body, pixels, h, channels, name); break;
            default: Binary(body, pixels, h, channels, name); break;
        }
        return PixelConvert.ToMode(pixels, channels, h.Height, h.Width, mode);
    }

    private readonly record struct Header(char Magic, int Width, int Height, int MaxVal, int DataStart);

    private static Header ReadHeader(ReadOnlySpan<byte> data, string name)
    {
        if (!IsPnm(data)) throw new ImageDecodeException(name, "not a PNM (PBM/PGM/PPM) file");
        char magic = (char)data[1];
        int pos = 2;
        int width = Token(data, ref pos, name, "width"), height = Token(data, ref pos, name, "height");
        int maxVal = magic is '1' or '4' ? 1 : Token(data, ref pos, name, "maxval");
        if (width < 1 || height < 1) throw new ImageDecodeException(name, $"invalid image size {width}x{height}");
        if (maxVal is < 1 or > 65535) throw new ImageDecodeException(name, $"corrupt PNM header: maxval {maxVal} is outside 1..65535");
        return new Header(magic, width, height, maxVal, pos);
    }

    /// <summary>A decimal header token; comments run from '#' to the end of the line; one whitespace byte ends it.</summary>
    private static int Token(ReadOnlySpan<byte> data, ref int pos, string name, string what) =>
        TryToken(data, ref pos, out int value) ? value
            : throw new ImageDecodeException(name, pos >= data.Length ? "truncated: the PNM header ends early"
                : $"corrupt PNM header: the {what} is not a number");

    /// <summary><see cref="Token"/> without the error: false leaves <paramref name="pos"/> where the token failed.</summary>
    private static bool TryToken(ReadOnlySpan<byte> data, ref int pos, out int value)
    {
        while (pos < data.Length)
        {
            if (IsSpace(data[pos])) pos++;
            else if (data[pos] == '#')
                while (pos < data.Length && data[pos] is not ((byte)'\n' or (byte)'\r')) pos++;
            else break;
        }
        long v = 0;
        int start = pos;
        while (pos < data.Length && data[pos] is >= (byte)'0' and <= (byte)'9' && pos - start < 10)
            v = v * 10 + (data[pos++] - '0');
        value = (int)Math.Min(v, int.MaxValue);
        if (pos == start || v > int.MaxValue || (pos < data.Length && !IsSpace(data[pos]) && data[pos] != '#')) return false;
        if (pos < data.Length && IsSpace(data[pos])) pos++;
        return true;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or 0x0B or 0x0C or (byte)'\r';

    /// <summary>Pillow's rescale of a sample: round(v / maxval · out), half to even, then clipped at 255.</summary>
    private static byte Scale(int v, int maxVal, int outMax)
    {
        double r = Math.Round(v / (double)maxVal * outMax, MidpointRounding.ToEven);
        return r >= 255 ? (byte)255 : (byte)r;
    }

    private static void Binary(ReadOnlySpan<byte> body, byte[] pixels, Header h, int channels, string name)
    {
        int bytes = h.MaxVal > 255 ? 2 : 1;
        long need = pixels.LongLength * bytes;
        if (body.Length < need) throw new ImageDecodeException(name, $"truncated: only {body.Length} of {need} pixel bytes present");
        if (h.MaxVal == 255)
        {
            body[..pixels.Length].CopyTo(pixels);
            return;
        }
        int outMax = channels == 1 && h.MaxVal > 255 ? 65535 : 255;
        for (int i = 0; i < pixels.Length; i++)
        {
            int v = bytes == 1 ? body[i] : body[2 * i] << 8 | body[2 * i + 1];
            pixels[i] = Scale(v, h.MaxVal, outMax); // above maxval: clipped, as Pillow
        }
    }

    private static void Bitmap(ReadOnlySpan<byte> body, byte[] pixels, Header h, string name)
    {
        int rowBytes = (h.Width + 7) / 8;
        long need = (long)rowBytes * h.Height;
        if (body.Length < need) throw new ImageDecodeException(name, $"truncated: only {body.Length} of {need} pixel bytes present");
        for (int y = 0; y < h.Height; y++)
            for (int x = 0; x < h.Width; x++)
                pixels[y * h.Width + x] = (body[y * rowBytes + x / 8] & (0x80 >> (x & 7))) != 0 ? (byte)0 : (byte)255;
    }

    private static void PlainBitmap(ReadOnlySpan<byte> body, byte[] pixels, string name)
    {
        int n = 0, pos = 0;
        while (n < pixels.Length && pos < body.Length)
        {
            byte b = body[pos++];
            if (b == '#') { while (pos < body.Length && body[pos] is not ((byte)'\n' or (byte)'\r')) pos++; }
            else if (b is (byte)'0' or (byte)'1') pixels[n++] = b == '1' ? (byte)0 : (byte)255;
            else if (!IsSpace(b)) throw new ImageDecodeException(name, $"corrupt PBM data: unexpected byte 0x{b:X2}");
        }
        if (n < pixels.Length) throw new ImageDecodeException(name, $"truncated: only {n} of {pixels.Length} pixels present");
    }

    private static void Plain(ReadOnlySpan<byte> body, byte[] pixels, Header h, int channels, string name)
    {
        int outMax = channels == 1 && h.MaxVal > 255 ? 65535 : 255;
        int n = 0, pos = 0;
        while (n < pixels.Length)
        {
            while (pos < body.Length && (IsSpace(body[pos]) || body[pos] == '#'))
                if (body[pos++] == '#') while (pos < body.Length && body[pos] is not ((byte)'\n' or (byte)'\r')) pos++;
            if (pos >= body.Length) throw new ImageDecodeException(name, $"truncated: only {n} of {pixels.Length} values present");
            long v = 0;
            int start = pos;
            while (pos < body.Length && body[pos] is >= (byte)'0' and <= (byte)'9' && pos - start <= 10) v = v * 10 + (body[pos++] - '0');
            if (pos == start || (pos < body.Length && !IsSpace(body[pos]) && body[pos] != '#'))
                throw new ImageDecodeException(name, "corrupt PNM data: a value is not a number");
            if (v > h.MaxVal) throw new ImageDecodeException(name, $"corrupt PNM data: value {v} is above maxval {h.MaxVal}");
            pixels[n++] = Scale((int)v, h.MaxVal, outMax);
        }
    }
}
