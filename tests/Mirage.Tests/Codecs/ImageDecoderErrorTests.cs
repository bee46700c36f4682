using Mirage.Codecs;
using Xunit.Abstractions;

namespace Mirage.Tests.Codecs;

public sealed class ImageDecoderErrorTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mirage-codecs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ImageDecodeException Fails(string path, string expectedReason)
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path, ColorMode.Rgb));
        output.WriteLine(e.Message);
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message);
        Assert.Contains(expectedReason, e.Reason);
        return e;
    }

    [Fact]
    public void Empty_file() => Fails(CodecFixtures.PathOf("empty.png"), "empty file");

    [Fact]
    public void Truncated_jpeg_says_how_many_rows_arrived()
    {
        var e = Fails(CodecFixtures.PathOf("truncated.jpg"), "truncated");
        Assert.Matches(@"only \d+ of 25 rows decoded", e.Reason);
    }

    [Fact]
    public void Truncated_png_says_how_many_rows_arrived()
    {
        var e = Fails(CodecFixtures.PathOf("truncated.png"), "truncated");
        Assert.Matches(@"only \d+ of 25 rows decoded", e.Reason);
    }

    [Fact]
    public void Truncated_progressive_jpeg_is_refused_like_pillow_does()
    {
        // Skia would return a blurrier image from the scans that did arrive; Pillow raises "image file is truncated".
        Fails(CodecFixtures.PathOf("truncated_progressive.jpg"), "truncated: the JPEG data ends before its end-of-image marker");
    }

    [Fact]
    public void Jpeg_missing_only_its_end_marker_is_truncated()
    {
        var bytes = File.ReadAllBytes(CodecFixtures.PathOf("q90_420.jpg"));
        string path = Path.Combine(_folder, "no-eoi.jpg");
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 2).ToArray());
        Fails(path, "truncated");
    }

    [Fact]
    public void Jpeg_with_trailing_bytes_after_its_end_marker_decodes()
    {
        // Pillow accepts these too (cameras and editors append data).
        var bytes = File.ReadAllBytes(CodecFixtures.PathOf("q90_420.jpg")).Concat("trailing junk"u8.ToArray()).ToArray();
        using var image = ImageDecoder.Decode(bytes, ColorMode.Rgb, "trailing.jpg");
        using var expected = CodecFixtures.Oracle("q90_420.jpg", ColorMode.Rgb);
        Assert.Equal(0, CodecFixtures.Compare(image, expected).Count);
    }

    [Theory]
    [InlineData("lossless.webp")]
    [InlineData("rgb.bmp")]
    public void Truncated_webp_and_bmp_say_how_many_bytes_are_present(string file)
    {
        var bytes = File.ReadAllBytes(CodecFixtures.PathOf(file));
        string path = Path.Combine(_folder, "cut-" + file);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var e = Fails(path, "truncated");
        Assert.Contains($"only {bytes.Length / 2} of {bytes.Length} bytes present", e.Reason);
    }

    [Fact]
    public void Garbage_bytes() => Fails(CodecFixtures.PathOf("garbage.png"), "not a recognised image format (PNG, JPEG, BMP, WebP, GIF, PNM, TIFF)");

    [Fact]
    public void Text_file_named_jpg() => Fails(CodecFixtures.PathOf("text.jpg"), "not a recognised image format");

    [Fact]
    public void Missing_file() => Fails(Path.Combine(_folder, "no-such-image.png"), "file not found");

    [Fact]
    public void Missing_folder() => Fails(Path.Combine(_folder, "no-such-folder", "a.png"), "file not found");

    [Fact]
    public void Folder_instead_of_file() => Fails(_folder, "folder");

    [Fact]
    public void Truncated_header_only()
    {
        var bytes = File.ReadAllBytes(CodecFixtures.PathOf("rgb.png"));
        string path = Path.Combine(_folder, "header.png");
        File.WriteAllBytes(path, bytes.AsSpan(0, 20).ToArray());
        Fails(path, "truncated");
    }

    [Fact]
    public void Unsupported_format_is_named()
    {
        // An ICO (Skia reads it, Keras's formats are the contract): 1x1 32-bit icon wrapping a BMP.
        string path = Path.Combine(_folder, "icon.ico");
        File.WriteAllBytes(path, IcoBytes());
        Fails(path, "unsupported image format");
    }

    [Fact]
    public void Span_overload_names_the_source()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode("hello"u8, ColorMode.Rgb, "from-memory"));
        Assert.Equal("from-memory", e.FilePath);
        Assert.Contains("not a recognised image format", e.Message);
        e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(ReadOnlySpan<byte>.Empty, ColorMode.Rgb, "nothing"));
        Assert.Contains("empty", e.Reason);
    }

    [Fact]
    public void ReadInfo_reports_the_same_errors()
    {
        Assert.Contains("empty file", Assert.Throws<ImageDecodeException>(() => ImageDecoder.ReadInfo(CodecFixtures.PathOf("empty.png"))).Reason);
        Assert.Contains("not a recognised", Assert.Throws<ImageDecodeException>(() => ImageDecoder.ReadInfo(CodecFixtures.PathOf("text.jpg"))).Reason);
        Assert.Contains("file not found", Assert.Throws<ImageDecodeException>(() => ImageDecoder.ReadInfo(Path.Combine(_folder, "x.png"))).Reason);
    }

    /// <summary>What one decode of <paramref name="bytes"/> gave: its shape and a hash of its pixels, or the typed error.</summary>
    private static string Outcome(byte[] bytes, ColorMode mode, string name, out (int H, int W, int C)? shape)
    {
        shape = null;
        try
        {
            using var image = ImageDecoder.Decode(bytes, mode, name);
            shape = (image.Height, image.Width, image.Channels);
            return $"decoded {image.Height}x{image.Width}x{image.Channels} #{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(image.Span))[..16]}";
        }
        catch (ImageDecodeException e)
        {
            Assert.Equal(name, e.FilePath);
            Assert.False(string.IsNullOrWhiteSpace(e.Reason), $"{name}: an error without a reason");
            return $"rejected: {e.Reason}";
        }
    }

    [Fact]
    public void Mutated_files_decode_or_raise_ImageDecodeException_never_anything_else()
    {
        // Cut and bit-flipped versions of every fixture, each checked on its own: only our exception may escape, the
        // outcome is the same on a second decode, a decoded image has the colour mode's channels, and a cut file
        // either is refused or keeps the original's size (a cut cannot invent rows). A file cut inside its header
        // cannot decode at all.
        var rng = new System.Random(20240611); // test-only fuzzing; library code never uses System.Random
        int decoded = 0, rejected = 0;
        foreach (var entry in CodecFixtures.Images())
        {
            var original = File.ReadAllBytes(CodecFixtures.PathOf(entry.File));
            var size = ImageDecoder.ReadInfo(CodecFixtures.PathOf(entry.File));
            for (int trial = 0; trial < 24; trial++)
            {
                bool cut = trial < 8;
                var bytes = cut ? original.AsSpan(0, rng.Next(1, original.Length)).ToArray() : (byte[])original.Clone();
                if (!cut)
                    for (int k = 0; k < 1 + trial % 5; k++) bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
                var mode = (ColorMode)(trial % 3);
                string name = $"{entry.File} ({(cut ? $"cut to {bytes.Length} of {original.Length} bytes" : "bits flipped")}, trial {trial})";
                string first = Outcome(bytes, mode, name, out var shape);
                Assert.Equal(first, Outcome(bytes, mode, name, out _));
                if (shape is { } s)
                {
                    decoded++;
                    Assert.Equal(Mirage.Data.ImageLoadOptions.ChannelsOf(mode), s.C);
                    if (cut) Assert.True((s.H, s.W) == (size.Height, size.Width) || (s.H, s.W) == (size.Width, size.Height), $"{name}: {first}, original {size.Height}x{size.Width}");
                    if (cut && bytes.Length < 8) Assert.Fail($"{name}: decoded from {bytes.Length} bytes");
                }
                else rejected++;
            }
        }
        output.WriteLine($"{decoded} mutated inputs decoded, {rejected} rejected");
    }

    private static byte[] IcoBytes()
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write((short)0); w.Write((short)1); w.Write((short)1);             // ICONDIR: reserved, type icon, 1 image
        w.Write((byte)1); w.Write((byte)1); w.Write((byte)0); w.Write((byte)0); // 1x1, no palette
        w.Write((short)1); w.Write((short)32);                                // planes, bpp
        int bmpSize = 40 + 4 + 4;                                             // header + 1 pixel + AND mask row
        w.Write(bmpSize); w.Write(6 + 16);                                    // size, offset
        w.Write(40); w.Write(1); w.Write(2); w.Write((short)1); w.Write((short)32); // BITMAPINFOHEADER (height doubled)
        w.Write(0); w.Write(0); w.Write(0); w.Write(0); w.Write(0); w.Write(0);
        w.Write(unchecked((int)0xFF0000FF));                                  // one BGRA pixel
        w.Write(0);                                                           // AND mask (padded to 4 bytes)
        return ms.ToArray();
    }
}
