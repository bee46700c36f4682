using Mirage.Codecs;
using Xunit.Abstractions;

namespace Mirage.Tests.Codecs;

public sealed class ImageDecoderOracleTests(ITestOutputHelper output)
{
    private const int MaxLossyDiff = 3;
    private const double MeanLossyDiff = 0.1;

    public static TheoryData<string, ColorMode> Cases()
    {
        var data = new TheoryData<string, ColorMode>();
        foreach (var e in CodecFixtures.Images())
            foreach (var mode in new[] { ColorMode.Grayscale, ColorMode.Rgb, ColorMode.Rgba })
                data.Add(e.File, mode);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_matches_keras_load_img(string file, ColorMode mode)
    {
        var entry = CodecFixtures.Images().Single(e => e.File == file);
        using var expected = CodecFixtures.Oracle(file, mode);
        using var actual = ImageDecoder.Decode(CodecFixtures.PathOf(file), mode);
        var diff = CodecFixtures.Compare(actual, expected);
        output.WriteLine($"{file} {mode} (PIL mode {entry.PilMode}): max {diff.Max}, mean {diff.Mean:F4}, {diff.Count} of {actual.Length} values differ");
        if (entry.Exact)
        {
            Assert.True(diff.Count == 0,
                $"{file} {mode}: {diff.Count} values differ (max {diff.Max}); first at index {diff.FirstIndex}");
        }
        else
        {
            // JPEG and lossy WebP: measured identical to Pillow here (both sides are libjpeg-turbo ISLOW IDCT with
            // fancy upsampling, and libwebp). The slack only absorbs rounding differences should the two native
            // libraries' versions drift apart; a wrong upsampler or colour conversion is far outside it.
            Assert.True(diff.Max <= MaxLossyDiff && diff.Mean <= MeanLossyDiff,
                $"{file} {mode}: max {diff.Max} (limit {MaxLossyDiff}), mean {diff.Mean:F3} (limit {MeanLossyDiff})");
        }
    }
}
