using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mirage.Kernels.Geometric;

// The fixed-point bilinear kernel over a row's interior span: the reference pixel, AVX2 (eight pixels, pshufb + pmaddwd)
// and 128-bit (four pixels, SSSE3 or portable blend) spans.
public static unsafe partial class WarpAffine
{
    /// <summary>Columns [x0, x1) of one row through the fixed-point bilinear kernel (vector when possible, same integers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BilinearSpan(byte* ps, byte* drow, int x0, int x1, int r0, int c0, int* tab, in Plan p)
    {
        if (p.FixedVector && x1 - x0 >= 8)
        {
            // The channel count as a type: the JIT drops the per-step store dispatch and multiplies by a constant.
            switch (p.C)
            {
                case 3: BilinearSpanAvx2<Channels3>(ps, drow, x0, x1, r0, c0, tab, p); break;
                case 1: BilinearSpanAvx2<Channels1>(ps, drow, x0, x1, r0, c0, tab, p); break;
                case 4: BilinearSpanAvx2<Channels4>(ps, drow, x0, x1, r0, c0, tab, p); break;
                default: BilinearSpanAvx2<Channels2>(ps, drow, x0, x1, r0, c0, tab, p); break;
            }
            return;
        }
        if (p.FixedVector128 && x1 - x0 >= 4)
        {
            if (p.Blend128Ssse3) BilinearSpan128<BlendSsse3>(ps, drow, x0, x1, r0, c0, tab, p);
            else BilinearSpan128<BlendPortable>(ps, drow, x0, x1, r0, c0, tab, p);
            return;
        }
        int C = p.C;
        int* tabC = tab + p.DstW;
        for (int x = x0; x < x1; x++) FixedPixel(ps, drow + x * C, r0 + tab[x], c0 + tabC[x], p);
    }

    /// <summary>
    /// One pixel of the fixed-point bilinear kernel, the reference for the vector path. The coordinate is clamped to
    /// [0, n − 1] and the pair is (i, i + 1) with i = min(floor, n − 2), so an edge is weight 0 or One on an in-image pair
    /// (scipy's 'nearest'; a no-op inside). 14-bit fractions fx, fy give 2-D weights w11 = round(fx·fy), w01 = fx − w11,
    /// w10 = fy − w11, w00 = One − fy − w01 (sum One, so flat regions stay exact), and
    /// v = (a·w00 + b·w01 + c·w10 + e·w11 + One/2) >> 14.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FixedPixel(byte* ps, byte* d, int R, int Cc, in Plan p)
    {
        R = Math.Clamp(R, 0, (p.SrcH - 1) << FixBits);
        Cc = Math.Clamp(Cc, 0, (p.SrcW - 1) << FixBits);
        int i = Math.Min(R >> FixBits, p.SrcH - 2), j = Math.Min(Cc >> FixBits, p.SrcW - 2);
        int fy = (R - (i << FixBits)) >> (FixBits - BilinearBits), fx = (Cc - (j << FixBits)) >> (FixBits - BilinearBits);
        int w11 = (fx * fy + BRound) >> BilinearBits, w01 = fx - w11, w10 = fy - w11, w00 = BOne - fy - w01;
        int C = p.C;
        byte* t = ps + i * p.Stride + j * C, u = t + p.Stride;
        for (int k = 0; k < C; k++)
            d[k] = (byte)((t[k] * w00 + t[k + C] * w01 + u[k] * w10 + u[k + C] * w11 + BRound) >> BilinearBits);
    }

    /// <summary>pshufb mask turning a 16-byte load at pixel a (a, then its right neighbour b) into 16-bit (a_k, b_k) pairs, channels 0..3.</summary>
    private static Vector256<byte> WordPairMask(int C)
    {
        Span<byte> v = stackalloc byte[32];
        v.Fill(0x80);
        for (int q = 0; q < 2; q++)
            for (int k = 0; k < Math.Min(C, 4); k++)
            {
                v[q * 16 + 4 * k] = (byte)k;
                v[q * 16 + 4 * k + 2] = (byte)(k + C);
            }
        return Vector256.Create((ReadOnlySpan<byte>)v);
    }

    /// <summary>
    /// The fixed-point bilinear kernel, eight pixels per step (AVX2, up to 4 channels): coordinates from the tables (one
    /// add), clamp, offsets and weights in vector registers; per pair of pixels two 16-byte loads (top pair, bottom pair)
    /// into the two 128-bit lanes, pshufb to 16-bit (a, b) pairs, pmaddwd against (w00, w01) and (w10, w11), add, round.
    /// The last step overlaps the previous one instead of a scalar tail. Steps whose loads could run past the source
    /// (bottom-right corner) go through <see cref="FixedPixel"/>, which gives the same integers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BilinearSpanAvx2<TC>(byte* ps, byte* drow, int x0, int x1, int r0, int c0, int* tab, in Plan p)
        where TC : struct, IChannels
    {
        int C = TC.Count, stride = p.Stride;
        int* o = stackalloc int[8];
        int* tabR = tab, tabC = tab + p.DstW;
        var vR0 = Vector256.Create(r0);
        var vC0 = Vector256.Create(c0);
        var maxR = Vector256.Create((p.SrcH - 1) << FixBits);
        var maxC = Vector256.Create((p.SrcW - 1) << FixBits);
        var pairR = Vector256.Create((p.SrcH - 2) << FixBits);
        var pairC = Vector256.Create((p.SrcW - 2) << FixBits);
        var limit = Vector256.Create(p.SrcLen - 16 - stride);
        var mul = Vector256.Create(C | (stride << 16)); // pmaddwd (j, i) · (C, stride); only when stride < 2^15
        bool narrow = stride < 32768;
        var mask = p.WordMask;
        // Steps whose loads could run past the source are skipped here and redone after the loop (no call in the
        // loop, so the JIT keeps the invariants in registers); bit k mod 64 marks step k.
        ulong skipped = 0;
        for (int x = x0, k = 0; ; x += 8, k++)
        {
            if (x > x1 - 8) x = x1 - 8;
            var R = Avx2.Min(Avx2.Max(Avx.LoadVector256(tabR + x) + vR0, Vector256<int>.Zero), maxR);
            var Cc = Avx2.Min(Avx2.Max(Avx.LoadVector256(tabC + x) + vC0, Vector256<int>.Zero), maxC);
            var hiMask = Vector256.Create(-1 << FixBits);
            var hiR = Avx2.Min(R & hiMask, pairR);
            var hiC = Avx2.Min(Cc & hiMask, pairC);
            var off = narrow
                ? Avx2.MultiplyAddAdjacent((hiR | Avx2.ShiftRightLogical(hiC, FixBits)).AsInt16(), mul.AsInt16())
                : Avx2.ShiftRightLogical(hiR, FixBits) * Vector256.Create(stride) + Avx2.ShiftRightLogical(hiC, FixBits) * Vector256.Create(C);
            if (Avx2.MoveMask(Avx2.CompareGreaterThan(off, limit).AsByte()) != 0)
            {
                skipped |= 1UL << k;
            }
            else
            {
                var fy = Avx2.ShiftRightLogical(R - hiR, FixBits - BilinearBits);
                var fx = Avx2.ShiftRightLogical(Cc - hiC, FixBits - BilinearBits);
                var w11 = Avx2.ShiftRightLogical(Avx2.MultiplyAddAdjacent(fx.AsInt16(), fy.AsInt16()) + Vector256.Create(BRound), BilinearBits);
                var w01 = fx - w11;
                var wTop = (Vector256.Create(BOne) - fy - w01) | Avx2.ShiftLeftLogical(w01, 16);
                var wBot = (fy - w11) | Avx2.ShiftLeftLogical(w11, 16);
                // One store, then one load per offset (cheaper than extracting 64-bit halves and shifting).
                off.Store(o);
                // Offsets are non-negative: zero-extend them (uint), one pointer per pixel for both its loads.
                var s0 = Pair(ps + (uint)o[0], ps + (uint)o[4], stride, mask, Avx2.Shuffle(wTop, 0x00), Avx2.Shuffle(wBot, 0x00));
                var s1 = Pair(ps + (uint)o[1], ps + (uint)o[5], stride, mask, Avx2.Shuffle(wTop, 0x55), Avx2.Shuffle(wBot, 0x55));
                var s2 = Pair(ps + (uint)o[2], ps + (uint)o[6], stride, mask, Avx2.Shuffle(wTop, 0xAA), Avx2.Shuffle(wBot, 0xAA));
                var s3 = Pair(ps + (uint)o[3], ps + (uint)o[7], stride, mask, Avx2.Shuffle(wTop, 0xFF), Avx2.Shuffle(wBot, 0xFF));
                var p01 = Avx2.PackSignedSaturate(s0, s1); // pixels 0, 1 | 4, 5
                var p23 = Avx2.PackSignedSaturate(s2, s3); // pixels 2, 3 | 6, 7
                StoreCompact(drow + x * C, Avx2.PackUnsignedSaturate(p01, p23), C);
            }
            if (x == x1 - 8) break;
        }
        if (skipped == 0) return;
        int steps = (x1 - x0 + 7) / 8;
        for (int k = 0; k < steps; k++)
        {
            if ((skipped & (1UL << k)) == 0) continue;
            int x = Math.Min(x0 + 8 * k, x1 - 8);
            for (int i = x; i < x + 8; i++) FixedPixel(ps, drow + i * C, r0 + tabR[i], c0 + tabC[i], p);
        }
    }

    /// <summary>Pixels whose top-left source neighbours are at <paramref name="a0"/> (lane 0) and <paramref name="a1"/> (lane 1): 32-bit channels 0..3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Pair(byte* a0, byte* a1, nint stride, Vector256<byte> mask, Vector256<int> wTop, Vector256<int> wBot)
    {
        var t = Vector256.Create(Vector128.Load(a0), Vector128.Load(a1));
        var b = Vector256.Create(Vector128.Load(a0 + stride), Vector128.Load(a1 + stride));
        var s = Avx2.MultiplyAddAdjacent(Avx2.Shuffle(t, mask).AsInt16(), wTop.AsInt16()) +
                Avx2.MultiplyAddAdjacent(Avx2.Shuffle(b, mask).AsInt16(), wBot.AsInt16());
        return Avx2.ShiftRightLogical(s + Vector256.Create(BRound), BilinearBits);
    }

    // Kept separate from BilinearSpanAvx2: different offset arithmetic (pmaddwd), lane-pair loads and compaction; the blend is a type parameter.
    /// <summary>
    /// The fixed-point bilinear kernel with 128-bit vectors (up to 4 channels), for machines without AVX2: four pixels
    /// per step. Coordinates, clamps, offsets and weights as in <see cref="BilinearSpanAvx2{TC}"/> with the cross-platform
    /// Vector128 API; the blend is <typeparamref name="TBlend"/> (SSSE3 pshufb + pmaddwd, or the portable widen-and-multiply
    /// that ARM64 runs). Same integers as <see cref="FixedPixel"/>; the last step overlaps, steps whose loads could run
    /// past the source go through <see cref="FixedPixel"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BilinearSpan128<TBlend>(byte* ps, byte* drow, int x0, int x1, int r0, int c0, int* tab, in Plan p)
        where TBlend : struct, IBlend128
    {
        int C = p.C, stride = p.Stride;
        int* tabR = tab, tabC = tab + p.DstW;
        var vR0 = Vector128.Create(r0);
        var vC0 = Vector128.Create(c0);
        var maxR = Vector128.Create((p.SrcH - 1) << FixBits);
        var maxC = Vector128.Create((p.SrcW - 1) << FixBits);
        var pairR = Vector128.Create((p.SrcH - 2) << FixBits);
        var pairC = Vector128.Create((p.SrcW - 2) << FixBits);
        var limit = Vector128.Create(p.SrcLen - 16 - stride);
        var vStride = Vector128.Create(stride);
        var vC = Vector128.Create(C);
        var hiMask = Vector128.Create(-1 << FixBits);
        var mask = p.WordMask128;
        ulong skipped = 0;
        for (int x = x0, k = 0; ; x += 4, k++)
        {
            if (x > x1 - 4) x = x1 - 4;
            var R = Vector128.Min(Vector128.Max(Vector128.Load(tabR + x) + vR0, Vector128<int>.Zero), maxR);
            var Cc = Vector128.Min(Vector128.Max(Vector128.Load(tabC + x) + vC0, Vector128<int>.Zero), maxC);
            var hiR = Vector128.Min(R & hiMask, pairR);
            var hiC = Vector128.Min(Cc & hiMask, pairC);
            var off = Vector128.ShiftRightLogical(hiR, FixBits) * vStride + Vector128.ShiftRightLogical(hiC, FixBits) * vC;
            if (Vector128.GreaterThanAny(off, limit))
            {
                skipped |= 1UL << k;
            }
            else
            {
                var fy = Vector128.ShiftRightLogical(R - hiR, FixBits - BilinearBits);
                var fx = Vector128.ShiftRightLogical(Cc - hiC, FixBits - BilinearBits);
                var w11 = Vector128.ShiftRightLogical(fx * fy + Vector128.Create(BRound), BilinearBits);
                var w01 = fx - w11;
                var q = off.AsUInt64();
                StoreCompact128(drow + x * C, TBlend.Blend4(ps, q.ToScalar(), q.GetElement(1), stride, C, mask,
                    Vector128.Create(BOne) - fy - w01, w01, fy - w11, w11), C);
            }
            if (x == x1 - 4) break;
        }
        if (skipped == 0) return;
        int steps = (x1 - x0 + 3) / 4;
        for (int k = 0; k < steps; k++)
        {
            if ((skipped & (1UL << k)) == 0) continue;
            int x = Math.Min(x0 + 4 * k, x1 - 4);
            for (int i = x; i < x + 4; i++) FixedPixel(ps, drow + i * C, r0 + tabR[i], c0 + tabC[i], p);
        }
    }

    /// <summary>A channel count known to the JIT (<see cref="BilinearSpanAvx2{TC}"/> is specialized per count).</summary>
    internal interface IChannels
    {
        static abstract int Count { get; }
    }

    private readonly struct Channels1 : IChannels { public static int Count => 1; }
    private readonly struct Channels2 : IChannels { public static int Count => 2; }
    private readonly struct Channels3 : IChannels { public static int Count => 3; }
    private readonly struct Channels4 : IChannels { public static int Count => 4; }

    /// <summary>Blends four pixels (top-left offsets in the 32-bit halves of q01, q23) to 4 bytes each, channels 0..3.</summary>
    internal interface IBlend128
    {
        static abstract Vector128<byte> Blend4(byte* ps, ulong q01, ulong q23, int stride, int C, Vector128<byte> mask,
            Vector128<int> w00, Vector128<int> w01, Vector128<int> w10, Vector128<int> w11);
    }

    /// <summary>SSSE3: per pixel two 16-byte loads, pshufb to 16-bit (a, b) pairs, pmaddwd against (w00, w01) and (w10, w11).</summary>
    private readonly struct BlendSsse3 : IBlend128
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Blend4(byte* ps, ulong q01, ulong q23, int stride, int C, Vector128<byte> mask,
            Vector128<int> w00, Vector128<int> w01, Vector128<int> w10, Vector128<int> w11)
        {
            var wTop = w00 | Sse2.ShiftLeftLogical(w01, 16);
            var wBot = w10 | Sse2.ShiftLeftLogical(w11, 16);
            var s0 = Pixel(ps + (uint)q01, stride, mask, Sse2.Shuffle(wTop, 0x00), Sse2.Shuffle(wBot, 0x00));
            var s1 = Pixel(ps + (q01 >> 32), stride, mask, Sse2.Shuffle(wTop, 0x55), Sse2.Shuffle(wBot, 0x55));
            var s2 = Pixel(ps + (uint)q23, stride, mask, Sse2.Shuffle(wTop, 0xAA), Sse2.Shuffle(wBot, 0xAA));
            var s3 = Pixel(ps + (q23 >> 32), stride, mask, Sse2.Shuffle(wTop, 0xFF), Sse2.Shuffle(wBot, 0xFF));
            return Sse2.PackUnsignedSaturate(Sse2.PackSignedSaturate(s0, s1), Sse2.PackSignedSaturate(s2, s3));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<int> Pixel(byte* a, nint stride, Vector128<byte> mask, Vector128<int> wTop, Vector128<int> wBot)
        {
            var s = Sse2.MultiplyAddAdjacent(Ssse3.Shuffle(Vector128.Load(a), mask).AsInt16(), wTop.AsInt16()) +
                    Sse2.MultiplyAddAdjacent(Ssse3.Shuffle(Vector128.Load(a + stride), mask).AsInt16(), wBot.AsInt16());
            return Sse2.ShiftRightLogical(s + Vector128.Create(BRound), BilinearBits);
        }
    }

    /// <summary>Portable (ARM64 AdvSimd, x86 without SSSE3): each neighbour's 4 bytes widened to 32 bits, multiplied by its weight, summed.</summary>
    private readonly struct BlendPortable : IBlend128
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Blend4(byte* ps, ulong q01, ulong q23, int stride, int C, Vector128<byte> mask,
            Vector128<int> w00, Vector128<int> w01, Vector128<int> w10, Vector128<int> w11)
        {
            var s0 = Pixel(ps + (uint)q01, stride, C, Vector128.Create(w00.GetElement(0)), Vector128.Create(w01.GetElement(0)), Vector128.Create(w10.GetElement(0)), Vector128.Create(w11.GetElement(0)));
            var s1 = Pixel(ps + (q01 >> 32), stride, C, Vector128.Create(w00.GetElement(1)), Vector128.Create(w01.GetElement(1)), Vector128.Create(w10.GetElement(1)), Vector128.Create(w11.GetElement(1)));
            var s2 = Pixel(ps + (uint)q23, stride, C, Vector128.Create(w00.GetElement(2)), Vector128.Create(w01.GetElement(2)), Vector128.Create(w10.GetElement(2)), Vector128.Create(w11.GetElement(2)));
            var s3 = Pixel(ps + (q23 >> 32), stride, C, Vector128.Create(w00.GetElement(3)), Vector128.Create(w01.GetElement(3)), Vector128.Create(w10.GetElement(3)), Vector128.Create(w11.GetElement(3)));
            // Values are 0..255: narrowing (truncating) is exact.
            return Vector128.Narrow(Vector128.Narrow(s0, s1), Vector128.Narrow(s2, s3));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<uint> Widen4(byte* a) =>
            Vector128.WidenLower(Vector128.WidenLower(Vector128.CreateScalarUnsafe(*(uint*)a).AsByte()));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<uint> Pixel(byte* a, nint stride, int C, Vector128<int> w00, Vector128<int> w01, Vector128<int> w10, Vector128<int> w11)
        {
            var s = Widen4(a).AsInt32() * w00 + Widen4(a + C).AsInt32() * w01 +
                    Widen4(a + stride).AsInt32() * w10 + Widen4(a + stride + C).AsInt32() * w11;
            return Vector128.ShiftRightLogical(s + Vector128.Create(BRound), BilinearBits).AsUInt32();
        }
    }
}
