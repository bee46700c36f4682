using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;

namespace Mirage.Tests.Kernels.Geometric;

public class FlipTests
{
    private static Image<T> Random<T>(int h, int w, int c, ulong seed, Func<ulong, T> make) where T : unmanaged
    {
        var rng = new RandomStream(seed);
        var img = new Image<T>(h, w, c);
        var s = img.Span;
        for (int i = 0; i < s.Length; i++) s[i] = make(rng.NextUInt64());
        return img;
    }

    private static void CheckHorizontal<T>(Func<ulong, T> make) where T : unmanaged, IEquatable<T>
    {
        foreach (var (h, w) in new[] { (1, 1), (2, 3), (17, 23), (5, 64), (3, 1500) })
            for (int c = 1; c <= 5; c++)
            {
                using var src = Random(h, w, c, (ulong)(h * 1000 + w * 10 + c), make);
                using var before = src.Clone();
                using var v = new Image<T>(src.Info);
                using var s = new Image<T>(src.Info);
                Flip.Horizontal(src, v, vectorized: true);
                Flip.Horizontal(src, s, vectorized: false);
                Assert.True(src.Span.SequenceEqual(before.Span));
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        for (int k = 0; k < c; k++)
                            Assert.Equal(src[y, w - 1 - x, k], s[y, x, k]);
                Assert.True(v.Span.SequenceEqual(s.Span), $"{typeof(T).Name} {h}x{w}x{c}: vector != scalar");
                using var inPlace = src.Clone();
                Flip.Horizontal(inPlace, inPlace);
                Assert.True(inPlace.Span.SequenceEqual(s.Span), $"{typeof(T).Name} {h}x{w}x{c}: in place != out of place");
                Flip.Horizontal(inPlace, inPlace);
                Assert.True(inPlace.Span.SequenceEqual(src.Span), "flip twice is identity");
            }
    }

    [Fact]
    public void HorizontalBytesVectorEqualsScalarAndMirrors() => CheckHorizontal(r => (byte)r);

    [Fact]
    public void HorizontalFloatsVectorEqualsScalarAndMirrors() => CheckHorizontal(r => (float)(r % 1000) / 7f);

    [Fact]
    public void HorizontalLongRowsInPlaceSwapPixels()
    {
        // 3 x 6000 floats per row = 72 KB: beyond the stack row buffer, so in place swaps pixels.
        using var src = Random(2, 6000, 3, 5, r => (float)(r % 977));
        using var expected = new Image<float>(src.Info);
        Flip.Horizontal(src, expected);
        using var inPlace = src.Clone();
        Flip.Horizontal(inPlace, inPlace);
        Assert.True(inPlace.Span.SequenceEqual(expected.Span));
    }

    [Fact]
    public void VerticalInPlaceEqualsOutOfPlaceAndDoesNotAllocate()
    {
        foreach (var (h, w, c) in new[] { (1, 1, 1), (2, 3, 3), (17, 23, 3), (224, 224, 3) })
        {
            using var src = Random(h, w, c, 9, r => (byte)r);
            using var expected = new Image<byte>(src.Info);
            Flip.Vertical(src, expected);
            for (int y = 0; y < h; y++) Assert.True(expected.Row(y).SequenceEqual(src.Row(h - 1 - y)));
            using var inPlace = src.Clone();
            Flip.Vertical(inPlace, inPlace); // warm up
            Flip.Vertical(inPlace, inPlace);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Flip.Vertical(inPlace, inPlace);
            Flip.Horizontal(inPlace, inPlace);
            Flip.Horizontal(inPlace, inPlace);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.True(inPlace.Span.SequenceEqual(expected.Span));
        }
    }

    /// <summary>Rows of exactly 16384 bytes (the stack row buffer) and one pixel more, in place: the first still goes
    /// through the stack copy, the second swaps pixels; both equal the out-of-place mirror, row by row.</summary>
    [Theory]
    [InlineData(4096, 1)]
    [InlineData(4097, 1)]
    [InlineData(1024, 4)]
    [InlineData(1025, 4)]
    public void InPlaceRowsAtTheStackBufferSize(int width, int floats)
    {
        using var src = Random(3, width, floats, (ulong)width, r => (float)(r % 10007));
        using var expected = new Image<float>(src.Info);
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < width; x++)
                for (int k = 0; k < floats; k++) expected[y, x, k] = src[y, width - 1 - x, k];
        using var inPlace = src.Clone();
        Flip.Horizontal(inPlace, inPlace);
        Assert.True(inPlace.Span.SequenceEqual(expected.Span));
        using var bytes = Random(2, width * floats, 4, (ulong)width + 1, r => (byte)r); // 4-byte pixels, 4·width·floats bytes
        using var byteCopy = new Image<byte>(bytes.Info);
        Flip.Horizontal(bytes, byteCopy, vectorized: false);
        Flip.Horizontal(bytes, bytes);
        Assert.True(bytes.Span.SequenceEqual(byteCopy.Span));
    }

    /// <summary>Pixels wider than the 1 KB swap slot (300 floats = 1200 bytes) in a row past the stack buffer.</summary>
    [Fact]
    public void InPlaceSwapOfPixelsWiderThanTheSwapSlot()
    {
        using var src = Random(2, 17, 300, 3, r => (float)(r % 977));
        using var inPlace = src.Clone();
        Flip.Horizontal(inPlace, inPlace);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 17; x++)
                for (int k = 0; k < 300; k++) Assert.Equal(src[y, 16 - x, k], inPlace[y, x, k]);
    }

    /// <summary>One in-place vertical flip, row by row (odd and even heights), with no other flip around it.</summary>
    [Theory]
    [InlineData(2, 5, 3)]
    [InlineData(7, 9, 1)]
    [InlineData(6, 40, 4)]
    public void VerticalInPlaceOnceMirrorsTheRows(int h, int w, int c)
    {
        using var src = Random(h, w, c, (ulong)(h * w), r => (byte)r);
        using var inPlace = src.Clone();
        Flip.Vertical(inPlace, inPlace);
        for (int y = 0; y < h; y++) Assert.True(inPlace.Row(y).SequenceEqual(src.Row(h - 1 - y)), $"row {y}");
    }

    [Fact]
    public void DestinationsOfAnotherShapeAreRefused()
    {
        using var src = new Image<float>(3, 4, 2);
        foreach (var dst in new[] { new Image<float>(3, 4, 1), new Image<float>(4, 3, 2), new Image<float>(3, 5, 2) })
            using (dst)
            {
                Assert.Throws<ArgumentException>(() => Flip.Horizontal(src, dst));
                Assert.Throws<ArgumentException>(() => Flip.Vertical(src, dst));
            }
    }
}
