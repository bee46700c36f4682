using Mirage.Codecs;
using Mirage.Data;
using Mirage.Tests.Data;

namespace Mirage.Tests.Codecs;

/// <summary>
/// PNM and TIFF (on Keras's extension list) decode through Mirage's own readers; the pixels are checked against
/// Pillow in <see cref="ImageDecoderOracleTests"/> (fixtures from tools/codec_fixtures.py). These cover the rest:
/// header info, the folder pipeline and broken files.
/// </summary>
public class PnmTiffDecoderTests
{
    [Theory]
    [InlineData("rgb.ppm", ImageFormat.Pnm)]
    [InlineData("gray16.pgm", ImageFormat.Pnm)]
    [InlineData("rgb_lzw.tif", ImageFormat.Tiff)]
    [InlineData("gray16_be.tif", ImageFormat.Tiff)]
    public void ReadInfoGivesTheSize(string file, ImageFormat format)
    {
        var info = ImageDecoder.ReadInfo(CodecFixtures.PathOf(file));
        Assert.Equal((39, 25, format), (info.Width, info.Height, info.Format));
        var fromBytes = ImageDecoder.ReadInfo(File.ReadAllBytes(CodecFixtures.PathOf(file)), file);
        Assert.Equal(info, fromBytes);
    }

    [Fact]
    public void FolderPipelineReadsPpmAndTiffInsteadOfSkippingThem()
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t["c"]);
        foreach (var f in new[] { "rgb.ppm", "rgb_packbits.tif", "gray_lzw.tiff", "rgb.png" })
            File.Copy(CodecFixtures.PathOf(f), t["c/" + f]);
        using var it = DataPipeline.FromDirectory<float>(t.Path, null, new DirectoryFlowOptions
        {
            TargetSize = (25, 39), Shuffle = false, BatchSize = 4, Epochs = 1, OnBadFile = BadFilePolicy.Skip,
        });
        using var batch = it.Next();
        Assert.Empty(it.SkippedFiles);
        Assert.Equal(4, batch.Count);
        // Sorted: gray_lzw.tiff, rgb.png, rgb.ppm, rgb_packbits.tif; the last two hold the same picture as rgb.png.
        Assert.Equal(batch.Sample(1).ToArray(), batch.Sample(2).ToArray());
        Assert.Equal(batch.Sample(1).ToArray(), batch.Sample(3).ToArray());
    }

    /// <summary>Issue 11: the PNM and TIFF readers had no pixel limit (a 20000x20000 PPM claim allocated 1.2 GB before
    /// failing). The claim is now refused from the header by the same check, with the same message, as every other format.</summary>
    [Theory]
    [InlineData("rgb.ppm")]
    [InlineData("gray16.pgm")]
    [InlineData("rgb_lzw.tif")]
    [InlineData("gray16_be.tif")]
    public void ThePixelLimitIsCheckedFromTheHeader(string file)
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(CodecFixtures.PathOf(file), ColorMode.Rgb, false, maxPixels: 974));
        Assert.Contains("the header claims 39x25 = 975 pixels, over the limit of 974", e.Reason);
        Assert.Contains("--max-pixels 975", e.Reason);
        using var image = ImageDecoder.Decode(CodecFixtures.PathOf(file), ColorMode.Rgb, false, maxPixels: 975);
        Assert.Equal((25, 39), (image.Height, image.Width));
    }

    [Theory]
    [InlineData("rgb.ppm", 0.5, "truncated")]
    [InlineData("plain.ppm", 0.5, "truncated")]
    [InlineData("rgb_raw.tif", 0.5, "truncated")]
    [InlineData("rgb_lzw.tif", 0.3, "truncated")]
    [InlineData("rgb_raw.tif", 0.002, "truncated")]
    public void TruncatedFilesNameTheFileAndSayWhy(string file, double keep, string reason)
    {
        var data = File.ReadAllBytes(CodecFixtures.PathOf(file));
        var cut = data.AsSpan(0, Math.Max(4, (int)(data.Length * keep))).ToArray();
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(cut, ColorMode.Rgb, "cut-" + file));
        Assert.Contains("cut-" + file, e.Message);
        Assert.Contains(reason, e.Reason);
    }

    [Fact]
    public void UnsupportedTiffLayoutsSaySo()
    {
        var data = File.ReadAllBytes(CodecFixtures.PathOf("rgb_raw.tif"));
        // Rewrite the compression tag's value (259) to 7 (JPEG-in-TIFF).
        int ifd = BitConverter.ToInt32(data, 4), n = BitConverter.ToUInt16(data, ifd);
        for (int i = 0; i < n; i++)
            if (BitConverter.ToUInt16(data, ifd + 2 + 12 * i) == 259) data[ifd + 2 + 12 * i + 8] = 7;
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(data, ColorMode.Rgb, "jpeg.tif"));
        Assert.Contains("unsupported TIFF compression 7", e.Reason);
    }

    [Fact]
    public void CorruptedPnmAndTiffBytesGiveOnlyDecodeErrors()
    {
        var random = new Random(11);
        foreach (var file in new[] { "rgb.ppm", "plain.pgm", "bilevel.pbm", "rgb_lzw.tif", "gray_packbits.tiff", "rgba_deflate.tif", "palette.tif", "strips.tif" })
        {
            var original = File.ReadAllBytes(CodecFixtures.PathOf(file));
            for (int round = 0; round < 200; round++)
            {
                var data = (byte[])original.Clone();
                int flips = 1 + random.Next(8);
                for (int k = 0; k < flips; k++) data[random.Next(Math.Min(data.Length, round % 2 == 0 ? 300 : data.Length))] = (byte)random.Next(256);
                try
                {
                    using var image = ImageDecoder.Decode(data, ColorMode.Rgb, file);
                }
                catch (ImageDecodeException)
                {
                }
            }
        }
    }
}
