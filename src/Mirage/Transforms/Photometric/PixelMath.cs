namespace Mirage.Transforms.Photometric;

/// <summary>Small helpers the photometric transforms share.</summary>
internal static class PixelMath
{
    /// <summary>A float value rounded half to even and clipped to 0..255, as Mirage writes floats to bytes.</summary>
    public static byte ToByte(float v)
    {
        float r = MathF.Round(v, MidpointRounding.ToEven);
        return r <= 0f ? (byte)0 : r >= 255f ? (byte)255 : (byte)r;
    }

    /// <summary>Applies v · scale[c] + offset[c] (computed in double, stored as float) to an HWC float image, in place.</summary>
    public static void ChannelAffine(Span<float> hwc, ReadOnlySpan<double> scale, ReadOnlySpan<double> offset)
    {
        int c = scale.Length;
        for (int i = 0; i < hwc.Length; i++) hwc[i] = (float)(hwc[i] * scale[i % c] + offset[i % c]);
    }

    /// <summary>The same from bytes to bytes (rounded and clipped).</summary>
    public static void ChannelAffine(ReadOnlySpan<byte> src, Span<byte> dst, ReadOnlySpan<double> scale, ReadOnlySpan<double> offset)
    {
        int c = scale.Length;
        for (int i = 0; i < src.Length; i++) dst[i] = ToByte((float)(src[i] * scale[i % c] + offset[i % c]));
    }
}
