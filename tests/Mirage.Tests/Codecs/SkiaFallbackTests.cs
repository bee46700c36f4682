using Mirage.Imaging;
using Mirage.Codecs;
using Xunit.Abstractions;

namespace Mirage.Tests.Codecs;

/// <summary>
/// The SkiaSharp path a machine without libjpeg-turbo takes, chosen per call by the configuration
/// (<see cref="JpegDecoderChoice.SkiaSharp"/>; MIRAGE_DISABLE_TURBOJPEG=1 makes libjpeg-turbo absent process-wide), against
/// the same Pillow oracle as <see cref="ImageDecoderOracleTests"/>.
/// </summary>
public sealed class SkiaFallbackTests(ITestOutputHelper output)
{
    public static TheoryData<string, ColorMode> Cases() => ImageDecoderOracleTests.Cases();

    internal static readonly MirageConfiguration Skia = new() { JpegDecoder = JpegDecoderChoice.SkiaSharp };

    private static Image<byte> DecodeWithSkia(string path, ColorMode mode)
    {
        Assert.Equal("SkiaSharp", Skia.JpegDecoderName);
        return ImageDecoder.Decode(path, mode, applyOrientation: false, ImageDecoder.DefaultMaxPixels, Skia);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FallbackDecodeMatchesPillow(string file, ColorMode mode)
    {
        using var expected = CodecFixtures.Oracle(file, mode);
        using var actual = DecodeWithSkia(CodecFixtures.PathOf(file), mode);
        var diff = CodecFixtures.Compare(actual, expected);
        output.WriteLine($"{file} {mode}: max {diff.Max}, mean {diff.Mean:F4}, {diff.Count} of {actual.Length} values differ");
        // Measured bit-equal, lossy formats included (SkiaSharp's bundled libjpeg-turbo and libwebp decode as Pillow's).
        Assert.True(diff.Count == 0, $"{file} {mode}: {diff.Count} values differ (max {diff.Max}); first at index {diff.FirstIndex}");
    }

    [Fact]
    public void FallbackGivesTheSameJpegBytesAsLibjpegTurbo()
    {
        if (!NativeDependency.TurboJpegPresent()) return; // the comparison needs both decoders
        foreach (var e in CodecFixtures.Images().Where(e => e.File.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)))
        {
            using var turbo = ImageDecoder.Decode(CodecFixtures.PathOf(e.File), ColorMode.Rgb);
            using var skia = DecodeWithSkia(CodecFixtures.PathOf(e.File), ColorMode.Rgb);
            Assert.Equal(turbo.Info, skia.Info);
            var diff = CodecFixtures.Compare(skia, turbo);
            Assert.True(diff.Count == 0, $"{e.File}: {diff.Count} values differ (max {diff.Max})");
        }
    }

    [Fact]
    public void FallbackDecodesAJpegAtTheSizeItsHeaderGives()
    {
        var jpg = CodecFixtures.Images().First(e => e.File.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)).File;
        var info = ImageDecoder.ReadInfo(CodecFixtures.PathOf(jpg));
        using var skia = DecodeWithSkia(CodecFixtures.PathOf(jpg), ColorMode.Rgb);
        Assert.Equal((info.Width, info.Height), (skia.Width, skia.Height));
    }
}
