using Mirage.Codecs;
using Mirage.Imaging;
using Xunit.Abstractions;

namespace Mirage.Tests.Codecs;

public sealed class ImageEncoderTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-encoder-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Image<byte> Photo(ColorMode mode) => ImageDecoder.Decode(CodecFixtures.PathOf("rgba.png"), mode);

    [Theory]
    [InlineData(ColorMode.Grayscale)]
    [InlineData(ColorMode.Rgb)]
    [InlineData(ColorMode.Rgba)]
    public void Png_round_trip_is_exact(ColorMode mode)
    {
        using var image = Photo(mode);
        string path = Path.Combine(_folder, "out.png");
        ImageEncoder.Save(image, path);
        using var back = ImageDecoder.Decode(path, mode);
        Assert.Equal(0, CodecFixtures.Compare(back, image).Count);
        var info = ImageDecoder.ReadInfo(path);
        Assert.Equal(mode == ColorMode.Grayscale, info.IsGrayscale); // 1 channel is stored as 8-bit gray
        Assert.Equal(mode == ColorMode.Rgba, info.HasAlpha);
    }

    [Theory]
    [InlineData(ColorMode.Grayscale)]
    [InlineData(ColorMode.Rgb)]
    [InlineData(ColorMode.Rgba)]
    public void Jpeg_round_trip_is_close(ColorMode mode)
    {
        using var image = Photo(mode);
        string path = Path.Combine(_folder, "out.jpg");
        ImageEncoder.Save(image, path, quality: 95);
        Assert.Equal(mode == ColorMode.Grayscale, ImageDecoder.ReadInfo(path).IsGrayscale);
        var readMode = mode == ColorMode.Rgba ? ColorMode.Rgb : mode; // JPEG drops alpha
        using var back = ImageDecoder.Decode(path, readMode);
        using var reference = Photo(readMode);
        var diff = CodecFixtures.Compare(back, reference);
        output.WriteLine($"JPEG q95 {mode}: max {diff.Max}, mean {diff.Mean:F3}");
        Assert.True(diff.Mean < 3 && diff.Max < 64, $"max {diff.Max}, mean {diff.Mean:F3}");
    }

    [Theory]
    [InlineData(ColorMode.Grayscale)]
    [InlineData(ColorMode.Rgb)]
    [InlineData(ColorMode.Rgba)]
    public void Webp_decodes_back(ColorMode mode)
    {
        using var image = Photo(mode);
        string path = Path.Combine(_folder, "out.webp");
        ImageEncoder.Save(image, path, quality: 90);
        Assert.Equal(ImageFormat.Webp, ImageDecoder.ReadInfo(path).Format);
        using var back = ImageDecoder.Decode(path, mode);
        // Lossy WebP replaces the colour under fully transparent pixels (invisible), so compare visible pixels only.
        long sum = 0, n = 0;
        int max = 0;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                if (mode == ColorMode.Rgba && image[y, x, 3] == 0) continue;
                for (int c = 0; c < image.Channels; c++)
                {
                    int d = Math.Abs(image[y, x, c] - back[y, x, c]);
                    sum += d; n++; max = Math.Max(max, d);
                }
            }
        double mean = (double)sum / n;
        output.WriteLine($"WebP q90 {mode}: visible pixels max {max}, mean {mean:F3}");
        Assert.True(mean < 4 && max < 64, $"max {max}, mean {mean:F3}");
    }

    [Theory]
    [InlineData(ColorMode.Rgb)]
    [InlineData(ColorMode.Rgba)]
    public void Lossless_webp_round_trip_is_exact(ColorMode mode)
    {
        // rgba.png has alpha-0 pixels; Skia's lossless encoder must keep their colour for an exact round trip.
        using var image = Photo(mode);
        var bytes = ImageEncoder.Encode(image, ImageFormat.WebpLossless, quality: 50);
        using var back = ImageDecoder.Decode(bytes, mode, "lossless.webp");
        var diff = CodecFixtures.Compare(back, image);
        output.WriteLine($"lossless WebP {mode}: {diff.Count} values differ, max {diff.Max}");
        if (mode == ColorMode.Rgb) Assert.Equal(0, diff.Count);
        else
        {
            // Visible pixels are exact; fully transparent ones may lose their (invisible) colour.
            for (int y = 0; y < image.Height; y++)
                for (int x = 0; x < image.Width; x++)
                    if (image[y, x, 3] != 0)
                        for (int c = 0; c < 4; c++) Assert.Equal(image[y, x, c], back[y, x, c]);
        }
    }

    [Fact]
    public void Encode_in_memory_produces_each_format()
    {
        using var image = Photo(ColorMode.Rgb);
        Assert.Equal(ImageFormat.Png, ImageDecoder.ReadInfo(ImageEncoder.Encode(image, ImageFormat.Png), "m").Format);
        Assert.Equal(ImageFormat.Jpeg, ImageDecoder.ReadInfo(ImageEncoder.Encode(image, ImageFormat.Jpeg, 80), "m").Format);
        Assert.Equal(ImageFormat.Webp, ImageDecoder.ReadInfo(ImageEncoder.Encode(image, ImageFormat.Webp, 80), "m").Format);
    }

    [Fact]
    public void Format_parameter_overrides_the_extension()
    {
        using var image = Photo(ColorMode.Rgb);
        string path = Path.Combine(_folder, "actually-a-png.jpg");
        ImageEncoder.Save(image, path, ImageFormat.Png);
        Assert.Equal(ImageFormat.Png, ImageDecoder.ReadInfo(path).Format);
    }

    [Theory]
    [InlineData("a.PNG", ImageFormat.Png)]
    [InlineData("a.jpeg", ImageFormat.Jpeg)]
    [InlineData("a.JPG", ImageFormat.Jpeg)]
    [InlineData("a.webp", ImageFormat.Webp)]
    public void Extension_picks_the_format(string name, ImageFormat expected) =>
        Assert.Equal(expected, ImageEncoder.FormatFromExtension(name));

    [Theory]
    [InlineData("image.bmp")]
    [InlineData("image")]
    public void Unknown_extension_is_a_clear_error(string name)
    {
        using var image = Photo(ColorMode.Rgb);
        var e = Assert.Throws<ArgumentException>(() => ImageEncoder.Save(image, Path.Combine(_folder, name)));
        Assert.Contains(name, e.Message);
        Assert.Contains(".png", e.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-5)]
    public void Bad_quality_names_the_parameter(int quality)
    {
        using var image = Photo(ColorMode.Rgb);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ImageEncoder.Save(image, Path.Combine(_folder, "q.jpg"), quality: quality));
        Assert.Equal("quality", e.ParamName);
        Assert.Equal("quality", Assert.Throws<ArgumentOutOfRangeException>(() => ImageEncoder.Encode(image, ImageFormat.Webp, quality)).ParamName);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Theory]
    [InlineData(ImageFormat.Bmp)]
    [InlineData(ImageFormat.Gif)]
    [InlineData(ImageFormat.Pnm)]
    [InlineData(ImageFormat.Tiff)]
    public void Read_only_formats_are_refused_by_name(ImageFormat format)
    {
        // One ImageFormat for what is read and what is written: the formats only the decoder knows say so.
        using var image = Photo(ColorMode.Rgb);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ImageEncoder.Save(image, Path.Combine(_folder, "x.png"), format));
        Assert.Equal("format", e.ParamName);
        Assert.Contains($"Mirage reads {format} but writes only PNG, JPEG and WebP", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageEncoder.Encode(image, format));
        Assert.Contains("Unknown image format", Assert.Throws<ArgumentOutOfRangeException>(() => ImageEncoder.Encode(image, (ImageFormat)42)).Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Two_channel_image_is_refused()
    {
        using var image = new Image<byte>(4, 4, 2);
        var e = Assert.Throws<ArgumentException>(() => ImageEncoder.Encode(image, ImageFormat.Png));
        Assert.Contains("2-channel", e.Message);
    }

    [Fact]
    public void Save_replaces_an_existing_file_and_leaves_no_temp_files()
    {
        string path = Path.Combine(_folder, "replace.png");
        File.WriteAllText(path, "old contents");
        using var image = Photo(ColorMode.Rgb);
        ImageEncoder.Save(image, path);
        using var back = ImageDecoder.Decode(path, ColorMode.Rgb);
        Assert.Equal(0, CodecFixtures.Compare(back, image).Count);
        Assert.Equal(new[] { path }, Directory.GetFiles(_folder)); // no .replace.png.*.tmp left behind
    }

    [Fact]
    public void Failed_save_removes_its_temp_file_and_keeps_the_old_file()
    {
        // The target is a folder, so the final rename fails after the temp file was written.
        string path = Path.Combine(_folder, "taken.png");
        Directory.CreateDirectory(path);
        using var image = Photo(ColorMode.Rgb);
        Assert.ThrowsAny<IOException>(() => ImageEncoder.Save(image, path));
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Save_into_a_missing_folder_is_a_clear_error()
    {
        using var image = Photo(ColorMode.Rgb);
        string path = Path.Combine(_folder, "missing", "a.png");
        var e = Assert.Throws<DirectoryNotFoundException>(() => ImageEncoder.Save(image, path));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Encoding_does_not_mutate_the_image()
    {
        using var image = Photo(ColorMode.Rgba);
        using var copy = image.Clone();
        foreach (var format in new[] { ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.Webp, ImageFormat.WebpLossless })
            ImageEncoder.Encode(image, format, 80);
        Assert.Equal(0, CodecFixtures.Compare(image, copy).Count);
    }
}
