using Mirage.Generation;
using static Mirage.Tests.Kernels.TestImages;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Photometric;
using Mirage.Randomness;

namespace Mirage.Tests.Kernels.Photometric;

public class NormalizeTests
{
    internal static (float[] Scale, float[] Offset) Params(int c, bool perChannel)
    {
        if (!perChannel) return ([1 / 255f], [-0.5f]);
        var scale = new float[c];
        var offset = new float[c];
        for (int k = 0; k < c; k++)
        {
            scale[k] = 1f / (255f * (0.2f + 0.05f * k));
            offset[k] = -(0.4f + 0.03f * k) / (0.2f + 0.05f * k);
        }
        return (scale, offset);
    }

    [Theory]
    [InlineData(DataFormat.ChannelsLast)]
    [InlineData(DataFormat.ChannelsFirst)]
    public void VectorEqualsScalarEqualsDefinition(DataFormat layout)
    {
        foreach (var (h, w) in new[] { (1, 1), (2, 3), (17, 23), (8, 64), (5, 41) })
            for (int c = 1; c <= 5; c++)
                foreach (bool perChannel in new[] { false, true })
                {
                    using var src = RandomByte(h, w, c, (ulong)(h + 31 * w + 7 * c));
                    var (scale, offset) = Params(c, perChannel);
                    using var before = src.Clone();
                    var v = new float[src.Length];
                    var s = new float[src.Length];
                    Normalize.ToFloat(src.Span, src.Info, v, layout, scale, offset, vectorized: true);
                    Normalize.ToFloat(src.Span, src.Info, s, layout, scale, offset, vectorized: false);
                    Assert.True(v.AsSpan().SequenceEqual(s), $"{h}x{w}x{c} {layout}");
                    Assert.True(src.Span.SequenceEqual(before.Span), "the kernel wrote into its input");
                    for (int y = 0; y < h; y++)
                        for (int x = 0; x < w; x++)
                            for (int k = 0; k < c; k++)
                            {
                                int i = layout == DataFormat.ChannelsLast ? (y * w + x) * c + k : (k * h + y) * w + x;
                                float sc = scale[perChannel ? k : 0], of = offset[perChannel ? k : 0];
                                Assert.Equal(src[y, x, k] * sc + of, s[i]);
                            }
                }
    }

    [Fact]
    public void RejectsWrongParameterCounts()
    {
        using var src = RandomByte(2, 2, 3, 1);
        var dst = new float[12];
        Assert.Throws<ArgumentException>(() => Normalize.ToFloat(src, dst, DataFormat.ChannelsLast, [1f, 2f], [0f]));
        Assert.Throws<ArgumentException>(() => Normalize.ToFloat(src, new float[11], DataFormat.ChannelsLast, [1f], [0f]));
    }
}
