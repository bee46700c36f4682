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

    /// <summary>Past 16 channels the converter keeps its parameters in arrays and takes the scalar path: per-channel
    /// values land on their channel in both layouts (16 is the last vector count, 17 the first array one).</summary>
    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(19)]
    public void Many_channels_convert_per_channel(int c)
    {
        using var src = RandomByte(3, 5, c, (ulong)c);
        foreach (bool perChannel in new[] { false, true })
        {
            var (scale, offset) = Params(c, perChannel);
            foreach (var layout in new[] { DataFormat.ChannelsLast, DataFormat.ChannelsFirst })
            {
                var dst = new float[src.Length];
                Normalize.ToFloat(src, dst, layout, scale, offset);
                for (int y = 0; y < 3; y++)
                    for (int x = 0; x < 5; x++)
                        for (int k = 0; k < c; k++)
                        {
                            int i = layout == DataFormat.ChannelsLast ? (y * 5 + x) * c + k : (k * 3 + y) * 5 + x;
                            Assert.Equal(src[y, x, k] * scale[perChannel ? k : 0] + offset[perChannel ? k : 0], dst[i]);
                        }
            }
        }
    }

    [Fact]
    public void A_short_source_and_a_wrong_offset_count_are_refused()
    {
        var shape = ImageInfo.Create(2, 2, 3);
        Assert.Equal("src", Assert.Throws<ArgumentException>(() =>
            Normalize.ToFloat(new byte[11], shape, new float[12], DataFormat.ChannelsLast, [1f], [0f])).ParamName);
        Assert.Equal("offset", Assert.Throws<ArgumentException>(() =>
            Normalize.ToFloat(new byte[12], shape, new float[12], DataFormat.ChannelsLast, [1f], [0f, 1f])).ParamName);
    }
}
