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
}
