using System.Runtime.CompilerServices;

namespace Mirage.Imaging;

/// <summary>Conversions between byte and float images.</summary>
public static class ImageConvert
{
    public static Image<float> ToFloat(Image<byte> src)
    {
        var dst = new Image<float>(src.Info);
        ToFloat(src.Span, dst.Span);
        return dst;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToFloat(ReadOnlySpan<byte> src, Span<float> dst)
    {
        if (dst.Length < src.Length) throw new ArgumentException("Destination is shorter than the source.", nameof(dst));
        for (int i = 0; i < src.Length; i++) dst[i] = src[i];
    }

    /// <summary>Rounds to nearest and clips to 0..255 (how 8-bit outputs are written).</summary>
    public static Image<byte> ToByte(Image<float> src)
    {
        var dst = new Image<byte>(src.Info);
        ToByte(src.Span, dst.Span);
        return dst;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToByte(ReadOnlySpan<float> src, Span<byte> dst)
    {
        if (dst.Length < src.Length) throw new ArgumentException("Destination is shorter than the source.", nameof(dst));
        for (int i = 0; i < src.Length; i++)
        {
            float v = MathF.Round(src[i], MidpointRounding.ToEven);
            dst[i] = v >= 255f ? (byte)255 : v > 0f ? (byte)v : (byte)0; // NaN compares false: 0
        }
    }
}
