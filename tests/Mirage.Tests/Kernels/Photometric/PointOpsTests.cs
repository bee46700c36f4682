using Mirage.Kernels.Photometric;

namespace Mirage.Tests.Kernels.Photometric;

/// <summary>
/// The point operations against their definitions, value by value (numpy's np.clip(x + i, lo, hi), x * s in float32,
/// Pillow's ImageEnhance.Brightness on 8 bits), on every length from 0 to past two vectors, so each value falls in the
/// vector body or in the scalar tail; both paths must give exactly the definition.
/// </summary>
public class PointOpsTests
{
    private static float[] Values(int n, int seed)
    {
        var random = new Mirage.Randomness.RandomStream((ulong)seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)random.Uniform(-40, 300);
        return v;
    }

    public static TheoryData<bool> Paths() => new() { true, false };

    [Theory]
    [MemberData(nameof(Paths))]
    public void ShiftClampIsClipOfTheSum(bool vectorized)
    {
        for (int n = 0; n <= 40; n++)
        {
            var src = Values(n, n);
            var dst = new float[n + 3];
            dst.AsSpan().Fill(-7f);
            PointOps.ShiftClamp(src, dst, 13.5f, 10f, 240f, vectorized);
            for (int i = 0; i < n; i++) Assert.Equal(Math.Clamp(src[i] + 13.5f, 10f, 240f), dst[i]);
            for (int i = n; i < dst.Length; i++) Assert.Equal(-7f, dst[i]); // nothing past the source's length
            var inPlace = (float[])src.Clone();
            PointOps.ShiftClamp(inPlace, inPlace, -20f, 0f, 100f, vectorized);
            for (int i = 0; i < n; i++) Assert.Equal(Math.Clamp(src[i] - 20f, 0f, 100f), inPlace[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void ScaleMultipliesInFloat32(bool vectorized)
    {
        for (int n = 0; n <= 40; n++)
        {
            var src = Values(n, 100 + n);
            var dst = new float[n + 2];
            dst.AsSpan().Fill(-7f);
            PointOps.Scale(src, dst, 1f / 255, vectorized);
            for (int i = 0; i < n; i++) Assert.Equal(src[i] * (1f / 255), dst[i]);
            for (int i = n; i < dst.Length; i++) Assert.Equal(-7f, dst[i]);
        }
    }

    /// <summary>Pillow: the value to 8 bits (clip, truncate), times the factor in float32, truncated and clipped again.</summary>
    private static float PillowBrightness(float x, float factor)
    {
        float t = x > 255f ? 255f : x > 0f ? MathF.Truncate(x) : 0f;
        float y = MathF.Truncate(t * factor);
        return y > 255f ? 255f : y < 0f ? 0f : y;
    }

    [Theory]
    [InlineData(true, 1.37f)]
    [InlineData(false, 1.37f)]
    [InlineData(true, 0.45f)]
    [InlineData(false, 0.45f)]
    [InlineData(true, -0.5f)]
    [InlineData(false, -0.5f)]
    public void BrightnessIsPillowsBlendWithBlack(bool vectorized, float factor)
    {
        for (int n = 0; n <= 40; n++)
        {
            var src = Values(n, 200 + n);
            var dst = new float[n + 2];
            dst.AsSpan().Fill(-7f);
            PointOps.Brightness(src, dst, factor, vectorized);
            for (int i = 0; i < n; i++) Assert.Equal(PillowBrightness(src[i], factor), dst[i]);
            for (int i = n; i < dst.Length; i++) Assert.Equal(-7f, dst[i]);
            var inPlace = (float[])src.Clone(); // each value brightened once, not again by the scalar tail
            PointOps.Brightness(inPlace, inPlace, factor, vectorized);
            for (int i = 0; i < n; i++) Assert.Equal(PillowBrightness(src[i], factor), inPlace[i]);
        }
    }

    [Fact]
    public void BrightnessScalarEdgesExactly()
    {
        float[] src = [-0.5f, 0.99f, 1f, 185.7f, 186f, 254.999f, 255f, 255.5f, 1e9f];
        var dst = new float[src.Length];
        PointOps.Brightness(src, dst, 1.37f, vectorized: false);
        // 185 * 1.37 = 253.45 → 253; 186 * 1.37 = 254.82 → 254; 254 * 1.37 and above clip to 255.
        Assert.Equal([0f, 0f, 1f, 253f, 254f, 255f, 255f, 255f, 255f], dst);
    }

    /// <summary>The documented contract (Keras casts to uint8 through Pillow, where NaN lands on 0): both paths, at a
    /// vector position and in the tail. Failed before the fix: MathF.Max and Vector.Max propagate NaN.</summary>
    [Theory]
    [MemberData(nameof(Paths))]
    public void BrightnessTakesNaNToZero(bool vectorized)
    {
        var src = new float[21];
        for (int i = 0; i < src.Length; i++) src[i] = 100f;
        src[0] = src[9] = src[20] = float.NaN;
        var dst = new float[src.Length];
        PointOps.Brightness(src, dst, 1.37f, vectorized);
        for (int i = 0; i < src.Length; i++) Assert.Equal(i is 0 or 9 or 20 ? 0f : 137f, dst[i]);
    }

    [Theory]
    [InlineData(1.37f)]
    [InlineData(0.45f)]
    [InlineData(0f)]
    [InlineData(-1f)]
    public void ByteBrightnessEqualsTheFloatDefinition(float factor)
    {
        var src = new byte[256 + 5];
        for (int i = 0; i < src.Length; i++) src[i] = (byte)(i * 7);
        var dst = new byte[src.Length];
        PointOps.Brightness(src, dst, factor);
        for (int i = 0; i < src.Length; i++) Assert.Equal((byte)PillowBrightness(src[i], factor), dst[i]);
        var same = (byte[])src.Clone();
        PointOps.Brightness(same, same, factor);
        Assert.Equal(dst, same);
    }

    [Fact]
    public void MinMaxFindsTheExtremesWherever()
    {
        // The smallest and the largest value at every pair of positions: first, vector body, scalar tail.
        for (int n = 1; n <= 40; n++)
            for (int at = 0; at < n; at++)
                for (int bt = 0; bt < n; bt++)
                {
                    var v = new float[n];
                    for (int i = 0; i < n; i++) v[i] = 50f + (i % 3);
                    v[bt] = 1000f;
                    v[at] = -1000f;
                    Assert.Equal((-1000f, at == bt ? (n == 1 ? -1000f : v.Max()) : 1000f), PointOps.MinMax(v));
                }
    }

    [Fact]
    public void MinMaxOfAscendingAndDescendingRuns()
    {
        for (int n = 1; n <= 40; n++)
        {
            var up = Enumerable.Range(0, n).Select(i => (float)i).ToArray();
            Assert.Equal((0f, n - 1f), PointOps.MinMax(up));
            Array.Reverse(up);
            Assert.Equal((0f, n - 1f), PointOps.MinMax(up));
        }
    }

    [Fact]
    public void ShortDestinationsAreRefusedAndEqualLengthsAccepted()
    {
        var src = new float[5];
        Assert.Throws<ArgumentException>(() => PointOps.ShiftClamp(src, new float[4], 1, 0, 1));
        Assert.Throws<ArgumentException>(() => PointOps.Scale(src, new float[4], 1));
        Assert.Throws<ArgumentException>(() => PointOps.Brightness(src, new float[4], 1));
        Assert.Throws<ArgumentException>(() => PointOps.Brightness(new byte[5], new byte[4], 1));
        Assert.Throws<ArgumentException>(() => PointOps.MinMax(ReadOnlySpan<float>.Empty));
        PointOps.ShiftClamp(src, new float[5], 1, 0, 1);
        PointOps.Scale(src, new float[5], 1);
        PointOps.Brightness(src, new float[5], 1);
        PointOps.Brightness(new byte[5], new byte[5], 1);
    }
}
