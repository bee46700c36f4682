using System.Runtime.CompilerServices;

namespace Mirage.Imaging;

/// <summary>Conversions between byte and float images.</summary>
/// <remarks>Byte → float is exact (0..255 as floats, no scaling); float → byte rounds half to even and clips. Both are
/// pure and thread-safe.</remarks>
public static class ImageConvert
{
    /// <summary>A new float image with the same values (0..255, not rescaled to 0..1).</summary>
    /// <param name="src">The bytes; not modified.</param>
    /// <returns>A new pooled image the caller owns (and disposes).</returns>
    public static Image<float> ToFloat(Image<byte> src)
    {
        var dst = new Image<float>(src.Info);
        ToFloat(src.Span, dst.Span);
        return dst;
    }

    /// <summary>Widens each byte to a float (0..255, not rescaled).</summary>
    /// <param name="src">Source values.</param>
    /// <param name="dst">Destination; at least as long as <paramref name="src"/>; values past that are untouched.</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is shorter than <paramref name="src"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToFloat(ReadOnlySpan<byte> src, Span<float> dst)
    {
        if (dst.Length < src.Length) throw new ArgumentException("Destination is shorter than the source.", nameof(dst));
        for (int i = 0; i < src.Length; i++) dst[i] = src[i];
    }

    /// <summary>Rounds to nearest and clips to 0..255 (how 8-bit outputs are written).</summary>
    /// <param name="src">The floats, on the 0..255 scale; not modified.</param>
    /// <returns>A new pooled image the caller owns (and disposes).</returns>
    /// <remarks>Halves round to even (2.5 → 2); NaN becomes 0.</remarks>
    public static Image<byte> ToByte(Image<float> src)
    {
        var dst = new Image<byte>(src.Info);
        ToByte(src.Span, dst.Span);
        return dst;
    }

    /// <summary>Rounds each value to the nearest integer (halves to even) and clips to 0..255; NaN becomes 0.</summary>
    /// <param name="src">Values on the 0..255 scale.</param>
    /// <param name="dst">Destination; at least as long as <paramref name="src"/>; values past that are untouched.</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is shorter than <paramref name="src"/>.</exception>
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
