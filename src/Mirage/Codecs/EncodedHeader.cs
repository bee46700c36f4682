using System.Buffers.Binary;

namespace Mirage.Codecs;

/// <summary>Byte-level facts about an encoded file that Skia does not report, used to classify failures.</summary>
internal static class EncodedHeader
{
    /// <summary>The format whose signature starts <paramref name="data"/>, or null.</summary>
    public static string? Signature(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])) return "PNG";
        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "JPEG";
        if (data.StartsWith("GIF8"u8)) return "GIF";
        if (data.StartsWith("BM"u8) && data.Length >= 6) return "BMP";
        if (data.StartsWith("RIFF"u8) && (data.Length < 12 || data.Slice(8, 4).SequenceEqual("WEBP"u8))) return "WebP";
        if (PnmDecoder.IsPnm(data)) return "PNM";
        if (TiffDecoder.IsTiff(data)) return "TIFF";
        return null;
    }

    /// <summary>
    /// The image size the header claims, read from the bytes alone (no decoder involved), so a decompression bomb is
    /// refused before any codec allocates: JPEG's frame header, PNG's IHDR, GIF's logical screen, WebP's VP8X canvas
    /// or VP8/VP8L frame, BMP's info header (|height|: negative means top-down), the PNM header, TIFF's first
    /// directory. False when the header is not there (the decoder then says what is wrong).
    /// </summary>
    public static bool TryClaimedSize(ReadOnlySpan<byte> d, out long width, out long height)
    {
        width = height = 0;
        switch (Signature(d))
        {
            case "JPEG" when JpegEighthDecoder.TryReadSize(d, out int w, out int h):
                (width, height) = (w, h);
                return true;
            case "PNM" when PnmDecoder.TryReadSize(d, out int w, out int h):
                (width, height) = (w, h);
                return true;
            case "TIFF":
                return TiffDecoder.TryReadSize(d, out width, out height);
            case "PNG" when d.Length >= 24 && d.Slice(12, 4).SequenceEqual("IHDR"u8):
                (width, height) = (BinaryPrimitives.ReadUInt32BigEndian(d[16..]), BinaryPrimitives.ReadUInt32BigEndian(d[20..]));
                return true;
            case "GIF" when d.Length >= 10:
                (width, height) = (BinaryPrimitives.ReadUInt16LittleEndian(d[6..]), BinaryPrimitives.ReadUInt16LittleEndian(d[8..]));
                return true;
            case "BMP" when d.Length >= 26:
                uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(d[14..]);
                if (headerSize == 12)
                    (width, height) = (BinaryPrimitives.ReadUInt16LittleEndian(d[18..]), BinaryPrimitives.ReadUInt16LittleEndian(d[20..]));
                else
                    (width, height) = (Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(d[18..])), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(d[22..])));
                return true;
            case "WebP" when d.Length >= 30:
                var chunk = d.Slice(12, 4);
                if (chunk.SequenceEqual("VP8X"u8))
                {
                    width = 1 + (d[24] | d[25] << 8 | d[26] << 16);
                    height = 1 + (d[27] | d[28] << 8 | d[29] << 16);
                    return true;
                }
                if (chunk.SequenceEqual("VP8L"u8) && d[20] == 0x2F)
                {
                    uint bits = BinaryPrimitives.ReadUInt32LittleEndian(d[21..]);
                    (width, height) = (1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF));
                    return true;
                }
                if (chunk.SequenceEqual("VP8 "u8) && d[23] == 0x9D && d[24] == 0x01 && d[25] == 0x2A)
                {
                    (width, height) = (BinaryPrimitives.ReadUInt16LittleEndian(d[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(d[28..]) & 0x3FFF);
                    return true;
                }
                return false;
            default:
                return false;
        }
    }

    /// <summary>The file length the header declares (WebP's RIFF size, BMP's bfSize), or -1 when it declares none.</summary>
    public static long DeclaredLength(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
            return 8L + BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(4));
        if (data.Length >= 6 && data.StartsWith("BM"u8))
        {
            long size = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(2));
            return size >= 26 ? size : -1; // some writers leave bfSize 0
        }
        return -1;
    }

    /// <summary>
    /// True when a JPEG's marker structure reaches its end-of-image marker. Skia quietly accepts a progressive JPEG
    /// cut short (the missing scans just lower the quality) and a baseline one missing its last bytes; Pillow
    /// refuses both ("image file is truncated"), so Mirage does too. Walks segments by their lengths (so an EOI
    /// inside an EXIF thumbnail is skipped) and scans entropy-coded data for the next real marker.
    /// </summary>
    public static bool JpegHasEndMarker(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8) return false;
        int pos = 2;
        while (pos + 2 <= data.Length)
        {
            if (data[pos] != 0xFF)
            {
                int next = data.Slice(pos).IndexOf((byte)0xFF); // stray bytes between segments: libjpeg skips them
                if (next < 0) return false;
                pos += next;
                continue;
            }
            byte marker = data[pos + 1];
            if (marker == 0xD9) return true;
            if (marker == 0xFF) { pos++; continue; }                                    // fill byte
            if (marker is 0x00 or 0x01 or (>= 0xD0 and <= 0xD7)) { pos += 2; continue; } // standalone markers
            if (pos + 4 > data.Length) return false;
            int length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(pos + 2));
            if (length < 2) return false;
            pos += 2 + length;
            if (marker != 0xDA) continue;
            // Entropy-coded data after SOS: FF 00 is a stuffed byte, FF D0..D7 a restart; anything else is a marker.
            while (true)
            {
                if (pos >= data.Length) return false;
                int ff = data.Slice(pos).IndexOf((byte)0xFF);
                if (ff < 0 || pos + ff + 1 >= data.Length) return false;
                pos += ff;
                byte b = data[pos + 1];
                if (b is 0x00 or 0xFF or (>= 0xD0 and <= 0xD7)) { pos++; continue; }
                break;
            }
        }
        return false;
    }
}
