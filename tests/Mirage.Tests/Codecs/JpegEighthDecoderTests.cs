using CsCheck;
using Mirage.Codecs;
using Mirage.Imaging;
using SkiaSharp;

namespace Mirage.Tests.Codecs;

/// <summary>
/// Mirage's 1/8-scale JPEG decoder against its oracle, libjpeg-turbo's own 1/8 decode (tjDecompress2), byte for byte:
/// fixtures written by cjpeg (tools/eighth_decoder_fixtures.py), random Skia-encoded JPEGs, and corrupted streams.
/// </summary>
public class JpegEighthDecoderTests
{
    private static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "jpeg-eighth");
    private static readonly ColorMode[] Modes = [ColorMode.Rgb, ColorMode.Rgba, ColorMode.Grayscale];

    public static TheoryData<string> Fixtures() =>
        [.. Directory.GetFiles(FixtureDir, "*.jpg").Select(f => Path.GetFileName(f)).Order()];

    /// <summary>libjpeg-turbo's 1/8 decode, or null when it refuses the stream.</summary>
    private static Image<byte>? Oracle(byte[] jpeg, ColorMode mode)
    {
        if (!TurboJpeg.TryReadSize(jpeg, out int w, out int h)) return null;
        return TurboJpeg.TryDecode(jpeg, mode, out var image, (w + 7) / 8, (h + 7) / 8, ownEighthDecoder: false) ? image : null;
    }

    /// <summary>
    /// Null when both agree (ours refused, or gave the oracle's bytes) or cannot be compared (a JPEG of at most 4×4
    /// pixels, which tjDecompress2 decodes at 1/4 or more); else what differs.
    /// </summary>
    private static string? Disagreement(byte[] jpeg, ColorMode mode)
    {
        if (TurboJpeg.TryReadSize(jpeg, out int w, out int h) && !JpegEighthDecoder.IsEighthScale(w, h, (w + 7) / 8, (h + 7) / 8))
            return null;
        if (!JpegEighthDecoder.TryDecode(jpeg, mode, out var own)) return null;
        using (own)
        {
            using var oracle = Oracle(jpeg, mode);
            if (oracle is null) return $"{mode}: decoded a stream libjpeg-turbo refuses";
            if (oracle.Info != own!.Info) return $"{mode}: {own.Info} vs libjpeg-turbo's {oracle.Info}";
            Span<byte> a = own.Span, b = oracle.Span;
            for (int i = 0; i < a.Length; i++)
                if (a[i] != b[i]) return $"{mode}: value {i} (pixel {i / own.Channels}) is {a[i]}, libjpeg-turbo gives {b[i]}";
            return null;
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void FixtureDecodesToLibjpegTurbosBytesOrIsRefused(string name)
    {
        if (!NativeDependency.TurboJpegPresent()) return; // the oracle
        var jpeg = File.ReadAllBytes(Path.Combine(FixtureDir, name));
        foreach (var mode in Modes)
        {
            bool decoded = JpegEighthDecoder.TryDecode(jpeg, mode, out var own);
            own?.Dispose();
            // Every cjpeg option a camera or Pillow uses must take the fast path; the "refuse-" files must not.
            Assert.True(decoded != name.StartsWith("refuse-"), $"{name} {mode}: decoded = {decoded}");
            Assert.Null(Disagreement(jpeg, mode));
        }
    }

    private static byte[] SkiaJpeg(int h, int w, bool gray, int quality, SKJpegEncoderDownsample downsample, ulong seed)
    {
        // Smooth gradients plus noise: long runs of zeros and large coefficients in the same picture.
        using var image = new Image<byte>(h, w, gray ? 1 : 4);
        var rng = new Mirage.Randomness.RandomStream(seed);
        var span = image.Span;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < image.Channels; c++)
                    span[(y * w + x) * image.Channels + c] = (byte)Math.Clamp((x * 255 / w + y * (c + 1) * 97 / h) % 256 + rng.NextInt(41) - 20, 0, 255);
        var info = gray ? new SKImageInfo(w, h, SKColorType.Gray8, SKAlphaType.Opaque) : new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque);
        unsafe
        {
            fixed (byte* p = span)
            {
                using var pixmap = new SKPixmap(info, (IntPtr)p, info.RowBytes);
                using var data = pixmap.Encode(new SKJpegEncoderOptions(quality, downsample, SKJpegEncoderAlphaOption.Ignore))!;
                return data.ToArray();
            }
        }
    }

    [Fact]
    public void RandomJpegsDecodeToLibjpegTurbosBytes()
    {
        if (!NativeDependency.TurboJpegPresent()) return;
        Gen.Select(Gen.Int[1, 160], Gen.Int[1, 160], Gen.Bool, Gen.Int[1, 100], Gen.Int[0, 2], Gen.ULong)
            .Sample((h, w, gray, quality, down, seed) =>
            {
                var jpeg = SkiaJpeg(h, w, gray, quality, (SKJpegEncoderDownsample)down, seed);
                if (!JpegEighthDecoder.TryDecode(jpeg, ColorMode.Rgb, out var own)) return false; // Skia writes plain baseline
                own!.Dispose();
                return Modes.All(m => Disagreement(jpeg, m) is null);
            }, iter: 120);
    }

    [Theory]
    [InlineData(4, 4, false)]
    [InlineData(1, 1, false)]
    [InlineData(5, 4, true)]
    [InlineData(4, 9, true)]
    [InlineData(4000, 3000, true)]
    public void OneEighthIsTheScaleTjDecompress2TakesForTheOneEighthSize(int w, int h, bool eighth) =>
        Assert.Equal(eighth, JpegEighthDecoder.IsEighthScale(w, h, (w + 7) / 8, (h + 7) / 8));

    [Fact]
    public void CameraSizeJpegDecodesToLibjpegTurbosBytes()
    {
        if (!NativeDependency.TurboJpegPresent()) return;
        var jpeg = SkiaJpeg(1203, 1605, gray: false, quality: 93, SKJpegEncoderDownsample.Downsample420, seed: 5);
        Assert.True(JpegEighthDecoder.TryDecode(jpeg, ColorMode.Rgb, out var own));
        own!.Dispose();
        Assert.Null(Disagreement(jpeg, ColorMode.Rgb));
    }

    [Fact]
    public void CorruptStreamsNeverThrowAndNeverDisagreeWithLibjpegTurbo()
    {
        if (!NativeDependency.TurboJpegPresent()) return;
        // Truncations, flipped bytes and inserted markers anywhere: the decoder refuses (and the caller falls back)
        // or returns exactly what libjpeg-turbo returns.
        var sources = new[] { "s420-restart-3b.jpg", "s420-optimize.jpg", "s422.jpg", "gray-restart.jpg", "s444-17x33.jpg" }
            .Select(n => File.ReadAllBytes(Path.Combine(FixtureDir, n))).ToArray();
        Gen.Select(Gen.Int[0, sources.Length - 1], Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Byte)
            .Sample((k, kind, at, value) =>
            {
                var jpeg = (byte[])sources[k].Clone();
                int i = at % jpeg.Length;
                jpeg = kind switch
                {
                    0 => jpeg[..i],                                   // truncated
                    1 => Flip(jpeg, i, value),                        // one byte changed
                    2 => [.. jpeg[..i], 0xFF, (byte)(0xD0 + value % 8), .. jpeg[i..]], // a stray RSTn
                    _ => [.. jpeg[..i], .. jpeg[Math.Min(jpeg.Length, i + 1 + value % 16)..]], // bytes cut out
                };
                return Modes.All(m => Disagreement(jpeg, m) is null);
            }, iter: 600);
    }

    [Fact]
    public void ACorruptRunPastTheBlockEndNeitherSkipsTheIdctNorLeaksIntoTheNextRow()
    {
        if (!NativeDependency.TurboJpegPresent()) return;
        // Found by the test above: one entropy byte of this file changed (0xD0 → 0x80) makes a chroma block's AC run
        // pass index 63, which once passed for "no AC coefficient" and left that coefficient for the next MCU row.
        var jpeg = File.ReadAllBytes(Path.Combine(FixtureDir, "s420-restart-3b.jpg"));
        Assert.Equal(0xD0, jpeg[2419]);
        jpeg[2419] = 0x80;
        Assert.True(JpegEighthDecoder.TryDecode(jpeg, ColorMode.Rgb, out var own));
        own!.Dispose();
        foreach (var mode in Modes) Assert.Null(Disagreement(jpeg, mode));
    }

    private static byte[] Flip(byte[] jpeg, int i, byte value)
    {
        jpeg[i] ^= (byte)(value == 0 ? 1 : value);
        return jpeg;
    }

    [Fact]
    public void DecodeForTargetAtOneEighthGivesLibjpegTurbosBytes()
    {
        if (!NativeDependency.TurboJpegPresent()) return;
        var jpeg = SkiaJpeg(1500, 2000, gray: false, quality: 90, SKJpegEncoderDownsample.Downsample420, seed: 9);
        string path = Path.Combine(Path.GetTempPath(), $"mirage-eighth-{Guid.NewGuid():N}.jpg");
        try
        {
            File.WriteAllBytes(path, jpeg);
            using var viaPipeline = ImageDecoder.DecodeForTarget(path, ColorMode.Rgb, 224, 160);
            using var oracle = Oracle(jpeg, ColorMode.Rgb)!;
            Assert.Equal((188, 250), (viaPipeline.Height, viaPipeline.Width));
            Assert.True(viaPipeline.Span.SequenceEqual(oracle.Span));
        }
        finally
        {
            File.Delete(path);
        }
    }
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ReadsTheSizeLibjpegTurboReads(string name)
    {
        if (!NativeDependency.TurboJpegPresent()) return;
        var jpeg = File.ReadAllBytes(Path.Combine(FixtureDir, name));
        Assert.True(TurboJpeg.TryReadSize(jpeg, out int w, out int h));
        Assert.True(JpegEighthDecoder.TryReadSize(jpeg, out int ow, out int oh));
        Assert.Equal((w, h), (ow, oh));
        Assert.False(JpegEighthDecoder.TryReadSize(jpeg.AsSpan(0, 20), out _, out _)); // cut before the frame header
    }

    [Fact]
    public void WithoutLibjpegTurboDecodeForTargetStillDecodesAtOneEighth()
    {
        if (!NativeDependency.TurboJpegPresent()) return; // the oracle
        var jpeg = SkiaJpeg(1500, 2000, gray: false, quality: 90, SKJpegEncoderDownsample.Downsample420, seed: 3);
        using var oracle = Oracle(jpeg, ColorMode.Rgb)!;
        string dir = Path.Combine(Path.GetTempPath(), $"mirage-eighth-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var skia = SkiaFallbackTests.Skia; // what a machine without libjpeg-turbo decodes with
        try
        {
            Assert.Equal("SkiaSharp", skia.JpegDecoderName);
            string big = Path.Combine(dir, "big.jpg");
            File.WriteAllBytes(big, jpeg);
            using (var viaSkiaMachine = ImageDecoder.DecodeForTarget(big, ColorMode.Rgb, 224, 160, configuration: skia))
                Assert.True(viaSkiaMachine.Span.SequenceEqual(oracle.Span), "1/8 without libjpeg-turbo differs from libjpeg-turbo's 1/8");
            using (var atLeast = ImageDecoder.DecodeAtLeast(big, ColorMode.Rgb, 250, 188, configuration: skia))
                Assert.True(atLeast.Span.SequenceEqual(oracle.Span), "DecodeAtLeast without libjpeg-turbo differs from libjpeg-turbo's 1/8");
            // 1/8 would not cover the target: full size (SkiaSharp), then the caller resizes.
            using (var full = ImageDecoder.DecodeForTarget(big, ColorMode.Rgb, 300, 200, configuration: skia))
                Assert.Equal((1500, 2000), (full.Height, full.Width));
            // A file the decoder refuses (progressive) also decodes at full size.
            using (var refused = ImageDecoder.DecodeForTarget(Path.Combine(FixtureDir, "refuse-progressive.jpg"), ColorMode.Rgb, 4, 4, configuration: skia))
                Assert.Equal((61, 47), (refused.Height, refused.Width));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

public class JpegEighthIdctTests
{
    [Fact]
    public void VectorIdct2x2EqualsScalarIncludingOverflowingCoefficients() =>
        Gen.Select(Gen.Short.Array[64], Gen.Short.Array[64], Gen.Int[0, 3])
            .Sample((coef, quant, range) =>
            {
                // Realistic ranges and the full 16-bit range (corrupt streams), where wrapping and saturation show.
                short Limit(short v) => range switch { 0 => (short)(v % 64), 1 => (short)(v % 1024), _ => v };
                for (int i = 0; i < 64; i++) (coef[i], quant[i]) = (Limit(coef[i]), range == 3 ? quant[i] : (short)(Math.Abs(quant[i] % 255) + 1));
                var (a, b) = (new byte[2 * 5], new byte[2 * 5]);
                JpegEighthDecoder.Idct2x2(coef, quant, a, 1, 5);
                JpegEighthDecoder.Idct2x2Vector(coef, quant, b, 1, 5);
                return a.AsSpan().SequenceEqual(b);
            }, iter: 5000);
}
