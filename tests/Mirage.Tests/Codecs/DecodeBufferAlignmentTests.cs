using Mirage.Codecs;
using Mirage.Imaging;

namespace Mirage.Tests.Codecs;

/// <summary>
/// libjpeg-turbo's SIMD colour converters store a row with non-temporal moves when the row starts 16-byte (SSE2) or
/// 32-byte (AVX2) aligned, which sends the decoded picture past the cache. Mirage hands it rows that never start so.
/// </summary>
public class DecodeBufferAlignmentTests
{
    /// <summary>Rows of <paramref name="pitch"/> bytes from <paramref name="start"/> that start 16-byte aligned.</summary>
    private static int AlignedRows(nint start, int pitch, int rows)
    {
        int n = 0;
        for (int y = 0; y < rows; y++)
            if ((start + (nint)y * pitch) % 16 == 0) n++;
        return n;
    }

    [Fact]
    public void NoRowStartsAlignedForAnyEvenRowLengthAndAtMostOneIn16ForOddOnes()
    {
        // Managed arrays start 8-byte aligned; try every such start modulo 64 (and odd ones, for completeness).
        for (int width = 1; width <= 1100; width++)
            foreach (int channels in new[] { 1, 3, 4 })
                for (nint start = 0x10000; start < 0x10000 + 64; start++)
                {
                    int pitch = width * channels, rows = 97;
                    nint first = start + TurboJpeg.RowStartOffset(start);
                    int aligned = AlignedRows(first, pitch, rows);
                    if (pitch % 2 == 0) Assert.True(aligned == 0, $"{width}x{channels} from {start % 64}: {aligned} aligned rows");
                    else Assert.True(aligned <= (rows + 15) / 16, $"{width}x{channels} (odd) from {start % 64}: {aligned} aligned rows");
                }
    }

    [Theory]
    [InlineData(224, 3)]
    [InlineData(240, 3)]
    [InlineData(256, 4)]
    [InlineData(320, 3)]
    [InlineData(333, 3)] // odd row length
    [InlineData(500, 1)]
    [InlineData(512, 3)]
    [InlineData(241, 4)]
    public void DecodedRowsDoNotStartAligned(int width, int channels)
    {
        if (!TurboJpeg.IsAvailable) return; // the rule is for libjpeg-turbo's buffers
        // At least 85,000 bytes: the buffer is on the large object heap, which does not move, so its address after the
        // decode is the one libjpeg-turbo wrote to.
        int height = Math.Max(16, (90_000 + width * channels - 1) / (width * channels));
        using var picture = Kernels.TestImages.RandomByte(height, width, channels == 1 ? 1 : 3, (ulong)width);
        using var rgba = channels == 4 ? ToRgba(picture) : null;
        byte[] jpeg = ImageEncoder.Encode(rgba ?? picture, ImageFormat.Jpeg, 90);
        var mode = channels switch { 1 => ColorMode.Grayscale, 3 => ColorMode.Rgb, _ => ColorMode.Rgba };
        Assert.True(TurboJpeg.TryDecode(jpeg, mode, out var decoded));
        using (decoded)
        {
            Assert.Equal((height, width, channels), (decoded!.Height, decoded.Width, decoded.Channels));
            unsafe
            {
                fixed (byte* p = decoded.Span)
                {
                    int aligned = AlignedRows((nint)p, width * channels, height);
                    if (width * channels % 2 == 0) Assert.Equal(0, aligned);
                    else Assert.True(aligned <= (height + 15) / 16, $"{aligned} of {height} rows aligned");
                }
            }
            // (The pixels themselves are checked against Pillow by ImageDecoderOracleTests.)
        }
    }

    private static Image<byte> ToRgba(Image<byte> rgb)
    {
        var rgba = new Image<byte>(rgb.Height, rgb.Width, 4);
        PixelConvert.RgbToRgba(rgb.Span, rgba.Span);
        return rgba;
    }
}
