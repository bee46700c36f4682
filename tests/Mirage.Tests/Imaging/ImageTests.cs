using CsCheck;
using Mirage.Imaging;

namespace Mirage.Tests.Imaging;

public class ImageTests
{
    [Fact]
    public void ChannelsFirstRoundTripsForAnyChannelCount() =>
        Gen.Select(Gen.Int[1, 9], Gen.Int[1, 9], Gen.Int[1, 7]).Sample((h, w, c) =>
        {
            using var image = new Image<float>(h, w, c);
            for (int i = 0; i < image.Length; i++) image.Span[i] = i;
            var chw = new float[image.Length];
            image.CopyToChannelsFirst(chw);
            // CHW index of (y, x, k) is k·H·W + y·W + x.
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int k = 0; k < c; k++)
                        if (chw[k * h * w + y * w + x] != image[y, x, k]) return false;
            using var back = Image<float>.FromChannelsFirst(chw, h, w, c);
            return back.Span.SequenceEqual(image.Span);
        });

    [Fact]
    public void NewImagesStartAtZeroEvenFromAReusedPoolBuffer()
    {
        var first = new Image<byte>(13, 11, 3);
        first.Span.Fill(200);
        first.Dispose();
        using var second = new Image<byte>(13, 11, 3);
        Assert.All(second.Span.ToArray(), v => Assert.Equal(0, v));
    }

    [Fact]
    public void DisposedImageCannotBeUsed()
    {
        var image = new Image<float>(2, 2, 1);
        image.Dispose();
        image.Dispose(); // twice is harmless
        Assert.Throws<ObjectDisposedException>(() => image.Span.Length);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 0)]
    public void EmptyShapesAreRefusedWithTheDimensionNamed(int h, int w, int c)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Image<byte>(h, w, c));
        Assert.Contains(h < 1 ? "height" : w < 1 ? "width" : "channel", e.Message);
    }

    [Fact]
    public void WrapUsesTheCallersArrayWithoutCopying()
    {
        var data = new byte[2 * 3 * 2];
        using var image = Image<byte>.Wrap(data, 2, 3, 2);
        image[1, 2, 1] = 9;
        Assert.Equal(9, data[^1]);
        Assert.Throws<ArgumentException>(() => Image<byte>.Wrap(new byte[5], 2, 3, 2));
    }

    [Fact]
    public void ToByteRoundsHalfToEvenAndClips()
    {
        float[] src = [-1f, 0.5f, 1.5f, 2.4f, 254.6f, 300f, float.NaN];
        var dst = new byte[src.Length];
        ImageConvert.ToByte(src, dst);
        Assert.Equal(new byte[] { 0, 0, 2, 2, 255, 255, 0 }, dst);
    }
}
