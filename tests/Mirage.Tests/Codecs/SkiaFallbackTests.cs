using Mirage.Codecs;
using Xunit.Abstractions;

namespace Mirage.Tests.Codecs;

/// <summary>
/// The SkiaSharp path a machine without libjpeg-turbo takes, forced on the test's own thread
/// (<see cref="TurboJpeg.t_hiddenForTests"/>; MIRAGE_DISABLE_TURBOJPEG=1 does the same process-wide), against the
/// same Pillow oracle as <see cref="ImageDecoderOracleTests"/>.
/// </summary>
public sealed class SkiaFallbackTests(ITestOutputHelper output)
{
    public static TheoryData<string, ColorMode> Cases() => ImageDecoderOracleTests.Cases();

    private static T WithoutTurboJpeg<T>(Func<T> body)
    {
        TurboJpeg.t_hiddenForTests = true; // this thread only
        try
        {
            Assert.Equal("SkiaSharp", ImageDecoder.JpegDecoder);
            return body();
        }
        finally
        {
            TurboJpeg.t_hiddenForTests = false;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FallbackDecodeMatchesPillow(string file, ColorMode mode)
    {
        using var expected = CodecFixtures.Oracle(file, mode);
        using var actual = WithoutTurboJpeg(() => ImageDecoder.Decode(CodecFixtures.PathOf(file), mode));
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
            using var skia = WithoutTurboJpeg(() => ImageDecoder.Decode(CodecFixtures.PathOf(e.File), ColorMode.Rgb));
            Assert.Equal(turbo.Info, skia.Info);
            var diff = CodecFixtures.Compare(skia, turbo);
            Assert.True(diff.Count == 0, $"{e.File}: {diff.Count} values differ (max {diff.Max})");
        }
    }

    [Fact]
    public void FallbackReadsTheHeaderSizeOfAJpeg()
    {
        var jpg = CodecFixtures.Images().First(e => e.File.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)).File;
        var withTurbo = ImageDecoder.ReadInfo(CodecFixtures.PathOf(jpg));
        var without = WithoutTurboJpeg(() => ImageDecoder.ReadInfo(CodecFixtures.PathOf(jpg)));
        Assert.Equal(withTurbo, without);
    }
}
