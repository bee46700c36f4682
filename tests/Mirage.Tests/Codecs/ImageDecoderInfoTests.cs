using Mirage.Codecs;
using Mirage.Imaging;

namespace Mirage.Tests.Codecs;

public sealed class ImageDecoderInfoTests
{
    [Theory]
    [InlineData("rgb.png", ImageFormat.Png, false, false)]
    [InlineData("rgba.png", ImageFormat.Png, true, false)]
    [InlineData("gray.png", ImageFormat.Png, false, true)]
    [InlineData("q90_420.jpg", ImageFormat.Jpeg, false, false)]
    [InlineData("gray.jpg", ImageFormat.Jpeg, false, true)]
    [InlineData("rgb.bmp", ImageFormat.Bmp, false, false)]
    [InlineData("lossless_rgba.webp", ImageFormat.Webp, true, false)]
    [InlineData("anim.gif", ImageFormat.Gif, false, false)]
    public void ReadInfo_reports_size_format_and_alpha(string file, ImageFormat format, bool alpha, bool gray)
    {
        var info = ImageDecoder.ReadInfo(CodecFixtures.PathOf(file));
        Assert.Equal((39, 25, format, 1), (info.Width, info.Height, info.Format, info.Orientation));
        Assert.Equal(alpha, info.HasAlpha);
        Assert.Equal(gray, info.IsGrayscale);
        var fromBytes = ImageDecoder.ReadInfo(File.ReadAllBytes(CodecFixtures.PathOf(file)), file);
        Assert.Equal(info, fromBytes);
    }

    [Fact]
    public void ReadInfo_reports_exif_orientation()
    {
        var info = ImageDecoder.ReadInfo(CodecFixtures.PathOf("orient6.jpg"));
        Assert.Equal(6, info.Orientation);
        Assert.True(info.OrientationSwapsAxes);
        Assert.Equal((39, 25, 25, 39), (info.Width, info.Height, info.OrientedWidth, info.OrientedHeight));
    }

    [Fact]
    public void Orientation_is_ignored_by_default_like_keras()
    {
        using var image = ImageDecoder.Decode(CodecFixtures.PathOf("orient6.jpg"), ColorMode.Rgb);
        Assert.Equal(new ImageInfo(25, 39, 3), image.Info);
    }

    [Fact]
    public void Orientation_opt_in_matches_pillow_exif_transpose()
    {
        using var image = ImageDecoder.Decode(CodecFixtures.PathOf("orient6.jpg"), ColorMode.Rgb, applyOrientation: true);
        using var expected = CodecFixtures.OrientedOracle();
        Assert.Equal(0, CodecFixtures.Compare(image, expected).Count);
    }

    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)]
    [InlineData(5)] [InlineData(6)] [InlineData(7)] [InlineData(8)]
    public void Every_orientation_maps_pixels_as_exif_defines(int orientation)
    {
        // 2x3 image, each pixel (y, x) holding its own coordinates, 2 channels.
        using var src = new Image<byte>(2, 3, 2);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++) { src[y, x, 0] = (byte)y; src[y, x, 1] = (byte)x; }
        using var dst = Orientation.Apply(src, orientation);
        Assert.Equal(orientation >= 5 ? (3, 2) : (2, 3), (dst.Height, dst.Width));
        int h = 2, w = 3;
        for (int oy = 0; oy < dst.Height; oy++)
            for (int ox = 0; ox < dst.Width; ox++)
            {
                (int sy, int sx) = orientation switch
                {
                    1 => (oy, ox),
                    2 => (oy, w - 1 - ox),
                    3 => (h - 1 - oy, w - 1 - ox),
                    4 => (h - 1 - oy, ox),
                    5 => (ox, oy),
                    6 => (h - 1 - ox, oy),
                    7 => (h - 1 - ox, w - 1 - oy),
                    _ => (ox, w - 1 - oy),
                };
                Assert.Equal((sy, sx), (dst[oy, ox, 0], dst[oy, ox, 1]));
            }
    }

    [Fact]
    public void Grayscale_of_rgb_png_is_pillow_L_exactly()
    {
        // Independent of the oracle files: recompute L from the decoded RGB with Pillow's integer formula.
        using var rgb = ImageDecoder.Decode(CodecFixtures.PathOf("rgb.png"), ColorMode.Rgb);
        using var gray = ImageDecoder.Decode(CodecFixtures.PathOf("rgb.png"), ColorMode.Grayscale);
        for (int y = 0; y < rgb.Height; y++)
            for (int x = 0; x < rgb.Width; x++)
            {
                int l = (19595 * rgb[y, x, 0] + 38470 * rgb[y, x, 1] + 7471 * rgb[y, x, 2] + 0x8000) >> 16;
                Assert.Equal(l, gray[y, x, 0]);
            }
    }

    [Fact]
    public void Decode_from_bytes_equals_decode_from_file()
    {
        foreach (var e in CodecFixtures.Images())
        {
            using var a = ImageDecoder.Decode(CodecFixtures.PathOf(e.File), ColorMode.Rgba);
            using var b = ImageDecoder.Decode(File.ReadAllBytes(CodecFixtures.PathOf(e.File)), ColorMode.Rgba, e.File);
            Assert.Equal(0, CodecFixtures.Compare(a, b).Count);
        }
    }
}
