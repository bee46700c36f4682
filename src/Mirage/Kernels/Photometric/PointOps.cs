using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mirage.Kernels.Photometric;

/// <summary>
/// Per-value operations behind channel shift, brightness and rescale. Each has a vector path (System.Numerics.Vector,
/// which the JIT maps to AVX2/SSE/NEON) and a scalar tail that computes the same thing; <c>dst</c> may equal <c>src</c>.
/// </summary>
public static class PointOps
{
    /// <summary>dst = clamp(src + intensity, min, max): Keras's apply_channel_shift with the image's own min/max.</summary>
    /// <param name="src">Source values.</param>
    /// <param name="dst">Destination, at least as long as <paramref name="src"/>; may be the same span.</param>
    /// <param name="intensity">Added to every value (Keras's channel_shift_intensity).</param>
    /// <param name="min">Lower clip bound (Keras: the image's minimum before the shift).</param>
    /// <param name="max">Upper clip bound (Keras: the image's maximum before the shift).</param>
    /// <param name="vectorized">False forces the scalar loop (same results; for tests).</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is shorter than <paramref name="src"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ShiftClamp(ReadOnlySpan<float> src, Span<float> dst, float intensity, float min, float max, bool vectorized = true)
    {
        CheckLengths(src, dst);
        int i = 0;
        if (vectorized && Vector.IsHardwareAccelerated)
        {
            var vs = MemoryMarshal.Cast<float, Vector<float>>(src);
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
            var add = new Vector<float>(intensity);
            var lo = new Vector<float>(min);
            var hi = new Vector<float>(max);
            for (int k = 0; k < vs.Length; k++) vd[k] = Vector.Min(Vector.Max(vs[k] + add, lo), hi);
            i = vs.Length * Vector<float>.Count;
        }
        for (; i < src.Length; i++) dst[i] = MathF.Min(MathF.Max(src[i] + intensity, min), max);
    }

    /// <summary>dst = src · scale (Keras's rescale).</summary>
    /// <param name="src">Source values.</param>
    /// <param name="dst">Destination, at least as long as <paramref name="src"/>; may be the same span.</param>
    /// <param name="scale">The factor, e.g. 1/255.</param>
    /// <param name="vectorized">False forces the scalar loop (same results; for tests).</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is shorter than <paramref name="src"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scale(ReadOnlySpan<float> src, Span<float> dst, float scale, bool vectorized = true)
    {
        CheckLengths(src, dst);
        int i = 0;
        if (vectorized && Vector.IsHardwareAccelerated)
        {
            var vs = MemoryMarshal.Cast<float, Vector<float>>(src);
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
            for (int k = 0; k < vs.Length; k++) vd[k] = vs[k] * scale;
            i = vs.Length * Vector<float>.Count;
        }
        for (; i < src.Length; i++) dst[i] = src[i] * scale;
    }

    /// <summary>
    /// Brightness as later Keras does it, with no min–max stretch: each value is taken to 8 bits (clipped to 0..255,
    /// truncated), multiplied by <paramref name="factor"/> in float32 and truncated again, as Pillow's
    /// ImageEnhance.Brightness blends with black.
    /// </summary>
    /// <param name="src">Values on the 0..255 scale (outside values are clipped; NaN becomes 0).</param>
    /// <param name="dst">Destination, at least as long as <paramref name="src"/>; may be the same span. Receives whole
    /// numbers in 0..255.</param>
    /// <param name="factor">Brightness factor: 1 keeps the image (up to the truncation), 0 makes it black.</param>
    /// <param name="vectorized">False forces the scalar loop (same results; for tests).</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is shorter than <paramref name="src"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Brightness(ReadOnlySpan<float> src, Span<float> dst, float factor, bool vectorized = true)
    {
        CheckLengths(src, dst);
        int i = 0;
        if (vectorized && Vector.IsHardwareAccelerated)
        {
            var vs = MemoryMarshal.Cast<float, Vector<float>>(src);
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
            var zero = Vector<float>.Zero;
            var top = new Vector<float>(255f);
            var f = new Vector<float>(factor);
            for (int k = 0; k < vs.Length; k++)
            {
                var x = vs[k];
                var t = Vector.Truncate(Vector.Min(Vector.ConditionalSelect(Vector.GreaterThan(x, zero), x, zero), top)); // NaN → 0
                vd[k] = Vector.Min(Vector.Max(Vector.Truncate(t * f), zero), top);
            }
            i = vs.Length * Vector<float>.Count;
        }
        for (; i < src.Length; i++) dst[i] = BrightnessScalar(src[i], factor);
    }

    /// <summary>The same brightness on 8-bit values.</summary>
    /// <param name="src">Source bytes.</param>
    /// <param name="dst">Destination, at least as long as <paramref name="src"/>; may be the same span.</param>
    /// <param name="factor">Brightness factor: 1 keeps the image, 0 makes it black.</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is shorter than <paramref name="src"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Brightness(ReadOnlySpan<byte> src, Span<byte> dst, float factor)
    {
        if (dst.Length < src.Length) throw new ArgumentException("Destination is shorter than the source.", nameof(dst));
        Span<byte> table = stackalloc byte[256];
        for (int v = 0; v < 256; v++) table[v] = (byte)BrightnessScalar(v, factor);
        for (int i = 0; i < src.Length; i++) dst[i] = table[src[i]];
    }

    private static float BrightnessScalar(float x, float factor)
    {
        float t = MathF.Truncate(MathF.Min(x > 0f ? x : 0f, 255f)); // NaN → 0 (MathF.Max would keep the NaN)
        return MathF.Min(MathF.Max(MathF.Truncate(t * factor), 0f), 255f);
    }

    /// <summary>Smallest and largest value (NaN-free input assumed).</summary>
    /// <param name="values">At least one value.</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (float Min, float Max) MinMax(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) throw new ArgumentException("Cannot take the min/max of no values.", nameof(values));
        float min = values[0], max = values[0];
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            var vs = MemoryMarshal.Cast<float, Vector<float>>(values);
            var vmin = vs[0];
            var vmax = vs[0];
            for (int k = 1; k < vs.Length; k++)
            {
                vmin = Vector.Min(vmin, vs[k]);
                vmax = Vector.Max(vmax, vs[k]);
            }
            for (int k = 0; k < Vector<float>.Count; k++)
            {
                min = MathF.Min(min, vmin[k]);
                max = MathF.Max(max, vmax[k]);
            }
            i = vs.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++)
        {
            min = MathF.Min(min, values[i]);
            max = MathF.Max(max, values[i]);
        }
        return (min, max);
    }

    private static void CheckLengths(ReadOnlySpan<float> src, Span<float> dst)
    {
        if (dst.Length < src.Length) throw new ArgumentException("Destination is shorter than the source.", nameof(dst));
    }
}
