using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mirage.Kernels.Geometric;

// Fill modes at the borders of bilinear bytes: 'reflect' and periodic 'wrap' on scipy's extended grid (per pixel, AVX2,
// 128-bit), and the exact interior span of a row (AxisSpan).
public static unsafe partial class WarpAffine
{
    /// <summary>
    /// A border pixel for 'reflect' (dcba|abcd|dcba, period 2n) and periodic 'wrap' (abcd|abcd, period n): scipy's
    /// result there is the bilinear blend on the extended grid, src_ext[i] = src[ext(i)], which this computes from the
    /// fixed-point coordinate with the weights of <see cref="FixedPixel"/> (the same inside the image).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExtendedPixel(byte* ps, byte* d, int R, int Cc, bool reflect, in Plan p)
    {
        int i = R >> FixBits, j = Cc >> FixBits;
        int fy = (R & ((1 << FixBits) - 1)) >> (FixBits - BilinearBits), fx = (Cc & ((1 << FixBits) - 1)) >> (FixBits - BilinearBits);
        int w11 = (fx * fy + BRound) >> BilinearBits, w01 = fx - w11, w10 = fy - w11, w00 = BOne - fy - w01;
        int C = p.C;
        byte* t = ps + Extend(i, p.SrcH, reflect) * p.Stride, u = ps + Extend(i + 1, p.SrcH, reflect) * p.Stride;
        int j0 = Extend(j, p.SrcW, reflect) * C, j1 = Extend(j + 1, p.SrcW, reflect) * C;
        for (int k = 0; k < C; k++)
            d[k] = (byte)((t[j0 + k] * w00 + t[j1 + k] * w01 + u[j0 + k] * w10 + u[j1 + k] * w11 + BRound) >> BilinearBits);
    }

    /// <summary>
    /// Columns [x0, x1) of a row's border under 'reflect' or periodic 'wrap': exactly <see cref="ExtendedPixel"/>'s bytes,
    /// eight (AVX2) or four (Vector128) pixels per step where every index of the step is within one period of the
    /// image, per pixel elsewhere and for the tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExtendedSpan(byte* ps, byte* drow, int x0, int x1, int r0, int c0, int* tab, bool reflect, in Plan p)
    {
        int x = x0;
        if (p.ExtendedAvx2) x = ExtendedSpanAvx2(ps, drow, x0, x1, r0, c0, tab, reflect, p);
        else if (p.Extended128) x = ExtendedSpan128(ps, drow, x0, x1, r0, c0, tab, reflect, p);
        int C = p.C;
        int* tabC = tab + p.DstW;
        for (; x < x1; x++) ExtendedPixel(ps, drow + x * C, r0 + tab[x], c0 + tabC[x], reflect, p);
    }

    /// <summary>
    /// <see cref="ExtendedSpan"/> eight pixels per step with AVX2: <see cref="ExtendedPixel"/>'s indices, folds and
    /// weights in vector registers, then the blend with gathers (up to 4 channels) or <see cref="BlendExtended"/>.
    /// Returns the first column not done.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ExtendedSpanAvx2(byte* ps, byte* drow, int x0, int x1, int r0, int c0, int* tab, bool reflect, in Plan p)
    {
        int C = p.C;
        int* tabC = tab + p.DstW;
        // Per pixel: offsets of rows i, i + 1, columns j, j + 1, then weights w00, w01, w10, w11 (eight of each).
        int* buf = stackalloc int[8 * 8];
        var vR0 = Vector256.Create(r0);
        var vC0 = Vector256.Create(c0);
        var nR = Vector256.Create(p.SrcH);
        var nC = Vector256.Create(p.SrcW);
        var vStride = Vector256.Create(p.Stride);
        var vC = Vector256.Create(C);
        var frac = Vector256.Create((1 << FixBits) - 1);
        var gatherLimit = Vector256.Create(p.SrcLen - 4);
        // pshufb masks taking byte 0 of each pixel's dword to the dword's byte 0 (chanLo) or byte 2 (chanHi); + k for channel k.
        var chanLo = Vector256.Create(0, 4, 8, 12, 0, 4, 8, 12) + Vector256.Create(unchecked((int)0x80808000));
        var chanHi = (Vector256.Create(0, 4, 8, 12, 0, 4, 8, 12) << 16) + Vector256.Create(unchecked((int)0x80008080));
        int x = x0;
        for (; x + 8 <= x1; x += 8)
        {
            var R = Vector256.Load(tab + x) + vR0;
            var Cc = Vector256.Load(tabC + x) + vC0;
            var i = Vector256.ShiftRightArithmetic(R, FixBits);
            var j = Vector256.ShiftRightArithmetic(Cc, FixBits);
            if (!OnePeriod(i, nR) || !OnePeriod(j, nC))
            {
                for (int q = x; q < x + 8; q++) ExtendedPixel(ps, drow + q * C, r0 + tab[q], c0 + tabC[q], reflect, p);
                continue;
            }
            var fy = Vector256.ShiftRightLogical(R & frac, FixBits - BilinearBits);
            var fx = Vector256.ShiftRightLogical(Cc & frac, FixBits - BilinearBits);
            var w11 = Vector256.ShiftRightLogical(fx * fy + Vector256.Create(BRound), BilinearBits);
            var w01 = fx - w11;
            var w00 = Vector256.Create(BOne) - fy - w01;
            var w10 = fy - w11;
            var rowT = Fold(i, nR, reflect) * vStride;
            var rowU = Fold(i + Vector256<int>.One, nR, reflect) * vStride;
            var colA = Fold(j, nC, reflect) * vC;
            var colB = Fold(j + Vector256<int>.One, nC, reflect) * vC;
            if (C <= 4)
            {
                var oa = rowT + colA;
                var ob = rowT + colB;
                var oc = rowU + colA;
                var oe = rowU + colB;
                // 4-byte gathers: only where none reads past the source.
                if (!Vector256.GreaterThanAny(Avx2.Max(Avx2.Max(oa, ob), Avx2.Max(oc, oe)), gatherLimit))
                {
                    var wTop = w00 | Avx2.ShiftLeftLogical(w01, 16);
                    var wBot = w10 | Avx2.ShiftLeftLogical(w11, 16);
                    var ga = Avx2.GatherVector256((int*)ps, oa, 1).AsByte();
                    var gb = Avx2.GatherVector256((int*)ps, ob, 1).AsByte();
                    var gc = Avx2.GatherVector256((int*)ps, oc, 1).AsByte();
                    var ge = Avx2.GatherVector256((int*)ps, oe, 1).AsByte();
                    var res = Vector256<int>.Zero;
                    for (int k = 0; k < C; k++)
                    {
                        // Channel k of each pixel's neighbours as 16-bit (a, b) pairs, pmaddwd against (w00, w01) and (w10, w11):
                        // the integers of ExtendedPixel (all terms non-negative, no overflow), its byte put back at k.
                        var lo = (chanLo + Vector256.Create(k)).AsByte();
                        var hi = (chanHi + Vector256.Create(k << 16)).AsByte();
                        var sum = Avx2.MultiplyAddAdjacent((Avx2.Shuffle(ga, lo) | Avx2.Shuffle(gb, hi)).AsInt16(), wTop.AsInt16()) +
                                  Avx2.MultiplyAddAdjacent((Avx2.Shuffle(gc, lo) | Avx2.Shuffle(ge, hi)).AsInt16(), wBot.AsInt16());
                        res |= Avx2.ShiftRightLogical(sum + Vector256.Create(BRound), BilinearBits) << (8 * k);
                    }
                    StoreCompact(drow + x * C, res.AsByte(), C);
                    continue;
                }
            }
            rowT.Store(buf);
            rowU.Store(buf + 8);
            colA.Store(buf + 16);
            colB.Store(buf + 24);
            w00.Store(buf + 32);
            w01.Store(buf + 40);
            w10.Store(buf + 48);
            w11.Store(buf + 56);
            BlendExtended(ps, drow + x * C, buf, 8, C);
        }
        return x;
    }

    // Kept separate from ExtendedSpanAvx2: same indices, weights and folds but a different blend (gathers + pmaddwd vs scalar loads + widen).
    /// <summary><see cref="ExtendedSpanAvx2"/> with cross-platform 128-bit vectors, four pixels per step (no AVX2, ARM64); no gathers: four scalar loads per neighbour.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ExtendedSpan128(byte* ps, byte* drow, int x0, int x1, int r0, int c0, int* tab, bool reflect, in Plan p)
    {
        int C = p.C;
        int* tabC = tab + p.DstW;
        int* buf = stackalloc int[8 * 4];
        var vR0 = Vector128.Create(r0);
        var vC0 = Vector128.Create(c0);
        var nR = Vector128.Create(p.SrcH);
        var nC = Vector128.Create(p.SrcW);
        var vStride = Vector128.Create(p.Stride);
        var vC = Vector128.Create(C);
        var frac = Vector128.Create((1 << FixBits) - 1);
        var loadLimit = Vector128.Create(p.SrcLen - 4);
        var lowByte = Vector128.Create(0xFF);
        int x = x0;
        for (; x + 4 <= x1; x += 4)
        {
            var R = Vector128.Load(tab + x) + vR0;
            var Cc = Vector128.Load(tabC + x) + vC0;
            var i = Vector128.ShiftRightArithmetic(R, FixBits);
            var j = Vector128.ShiftRightArithmetic(Cc, FixBits);
            if (!OnePeriod(i, nR) || !OnePeriod(j, nC))
            {
                for (int q = x; q < x + 4; q++) ExtendedPixel(ps, drow + q * C, r0 + tab[q], c0 + tabC[q], reflect, p);
                continue;
            }
            var fy = Vector128.ShiftRightLogical(R & frac, FixBits - BilinearBits);
            var fx = Vector128.ShiftRightLogical(Cc & frac, FixBits - BilinearBits);
            var w11 = Vector128.ShiftRightLogical(fx * fy + Vector128.Create(BRound), BilinearBits);
            var w01 = fx - w11;
            var w00 = Vector128.Create(BOne) - fy - w01;
            var w10 = fy - w11;
            var rowT = Fold(i, nR, reflect) * vStride;
            var rowU = Fold(i + Vector128<int>.One, nR, reflect) * vStride;
            var colA = Fold(j, nC, reflect) * vC;
            var colB = Fold(j + Vector128<int>.One, nC, reflect) * vC;
            if (C <= 4)
            {
                var oa = rowT + colA;
                var ob = rowT + colB;
                var oc = rowU + colA;
                var oe = rowU + colB;
                // 4-byte loads: only where none reads past the source.
                if (!Vector128.GreaterThanAny(Vector128.Max(Vector128.Max(oa, ob), Vector128.Max(oc, oe)), loadLimit))
                {
                    var ga = Load4(ps, oa);
                    var gb = Load4(ps, ob);
                    var gc = Load4(ps, oc);
                    var ge = Load4(ps, oe);
                    var res = Vector128<int>.Zero;
                    for (int k = 0; k < C; k++)
                    {
                        // Channel k widened to 32 bits: ExtendedPixel's integers, its byte put back at k.
                        int sh = 8 * k;
                        var sum = (Vector128.ShiftRightLogical(ga, sh) & lowByte) * w00 + (Vector128.ShiftRightLogical(gb, sh) & lowByte) * w01 +
                                  (Vector128.ShiftRightLogical(gc, sh) & lowByte) * w10 + (Vector128.ShiftRightLogical(ge, sh) & lowByte) * w11;
                        res |= Vector128.ShiftRightLogical(sum + Vector128.Create(BRound), BilinearBits) << sh;
                    }
                    StoreCompact128(drow + x * C, res.AsByte(), C);
                    continue;
                }
            }
            rowT.Store(buf);
            rowU.Store(buf + 4);
            colA.Store(buf + 8);
            colB.Store(buf + 12);
            w00.Store(buf + 16);
            w01.Store(buf + 20);
            w10.Store(buf + 24);
            w11.Store(buf + 28);
            BlendExtended(ps, drow + x * C, buf, 4, C);
        }
        return x;
    }

    /// <summary>The 4 bytes at each of four offsets, one int per lane (no gather instruction in 128 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Load4(byte* ps, Vector128<int> o) =>
        Vector128.Create(*(int*)(ps + o.ToScalar()), *(int*)(ps + o.GetElement(1)), *(int*)(ps + o.GetElement(2)), *(int*)(ps + o.GetElement(3)));

    // The index folds of Extend for lanes within one period of the image, in two widths with the same body.
    // Kept as two overloads: .NET 10 has no public width-generic vector type to write them once (ISimdVector is internal).

    /// <summary>True when every lane's pair (i, i + 1) lies in [−n, 2n), the reach of <see cref="Fold(Vector256{int}, Vector256{int}, bool)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool OnePeriod(Vector256<int> i, Vector256<int> n) =>
        (Vector256.LessThan(i, -n) | Vector256.GreaterThan(i, n + n - Vector256.Create(2))) == Vector256<int>.Zero;

    /// <summary>
    /// <see cref="Extend"/> for lanes in [−n, 2n), without branches: reflect maps i &lt; 0 to −i − 1 (= ~i) and i ≥ n to
    /// 2n − 1 − i (= 2n + ~i); wrap adds n below 0 and subtracts it from n up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Fold(Vector256<int> i, Vector256<int> n, bool reflect)
    {
        var below = Vector256.LessThan(i, Vector256<int>.Zero);
        var above = Vector256.GreaterThanOrEqual(i, n);
        return reflect
            ? Vector256.ConditionalSelect(below, ~i, Vector256.ConditionalSelect(above, n + n + ~i, i))
            : i + (below & n) - (above & n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool OnePeriod(Vector128<int> i, Vector128<int> n) =>
        (Vector128.LessThan(i, -n) | Vector128.GreaterThan(i, n + n - Vector128.Create(2))) == Vector128<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Fold(Vector128<int> i, Vector128<int> n, bool reflect)
    {
        var below = Vector128.LessThan(i, Vector128<int>.Zero);
        var above = Vector128.GreaterThanOrEqual(i, n);
        return reflect
            ? Vector128.ConditionalSelect(below, ~i, Vector128.ConditionalSelect(above, n + n + ~i, i))
            : i + (below & n) - (above & n);
    }

    /// <summary>
    /// <see cref="ExtendedPixel"/>'s blend for <paramref name="count"/> pixels whose row offsets, column offsets and
    /// weights the vector code stored in <paramref name="buf"/> (eight arrays of count): the same integers, no branches.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlendExtended(byte* ps, byte* d, int* buf, int count, int C)
    {
        for (int q = 0; q < count; q++, d += C)
        {
            byte* t = ps + buf[q], u = ps + buf[count + q];
            int a = buf[2 * count + q], b = buf[3 * count + q];
            int w00 = buf[4 * count + q], w01 = buf[5 * count + q], w10 = buf[6 * count + q], w11 = buf[7 * count + q];
            for (int k = 0; k < C; k++)
                d[k] = (byte)((t[a + k] * w00 + t[b + k] * w01 + u[a + k] * w10 + u[b + k] * w11 + BRound) >> BilinearBits);
        }
    }

    /// <summary>Where index i of the extended grid reads from: half-sample mirror (reflect) or periodic (wrap); n ≥ 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Extend(int i, int n, bool reflect)
    {
        if ((uint)i < (uint)n) return i;
        // One period away (most border pixels): no division.
        if (i >= -n && i < 2 * n)
            return reflect ? (i < 0 ? -i - 1 : 2 * n - 1 - i) : (i < 0 ? i + n : i - n);
        if (reflect)
        {
            int n2 = 2 * n, m = i % n2;
            if (m < 0) m += n2;
            return m < n ? m : n2 - 1 - m;
        }
        int r = i % n;
        return r < 0 ? r + n : r;
    }

    /// <summary>
    /// Narrows [a, e) to the columns x whose coordinate along one axis, scipy's (b + x·m1) + m2, lies in [0, n − 1].
    /// That coordinate is monotonic in x (each floating-point operation is), so the set is an interval: its ends are
    /// estimated from the line and then corrected by evaluating the exact expression.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AxisSpan(double b, double m1, double m2, int n, ref int a, ref int e)
    {
        double hi = n - 1;
        int w = e;
        if (m1 == 0)
        {
            double v = (b + 0 * m1) + m2;
            if (!(v >= 0 && v <= hi)) e = a;
            return;
        }
        int first, end;
        if (m1 > 0)
        {
            first = FirstAtLeast(b, m1, m2, 0, w, (0 - b - m2) / m1);
            end = FirstAbove(b, m1, m2, hi, w, (hi - b - m2) / m1);
        }
        else
        {
            first = FirstAtMostDecreasing(b, m1, m2, hi, w, (hi - b - m2) / m1);
            end = FirstBelowDecreasing(b, m1, m2, 0, w, (0 - b - m2) / m1);
        }
        a = Math.Max(a, first);
        e = Math.Min(e, end);
        if (e < a) e = a;
    }

    private static int Estimate(double est, int w) => !(est > 0) ? 0 : est >= w ? w : (int)Math.Ceiling(est);

    // First x in [0, w] with (b + x·m1) + m2 ≥ t (increasing), > t (increasing), ≤ t (decreasing), < t (decreasing).
    private static int FirstAtLeast(double b, double m1, double m2, double t, int w, double est)
    {
        int x = Estimate(est, w);
        while (x > 0 && (b + (x - 1) * m1) + m2 >= t) x--;
        while (x < w && !((b + x * m1) + m2 >= t)) x++;
        return x;
    }

    private static int FirstAbove(double b, double m1, double m2, double t, int w, double est)
    {
        int x = Estimate(est, w);
        while (x > 0 && (b + (x - 1) * m1) + m2 > t) x--;
        while (x < w && !((b + x * m1) + m2 > t)) x++;
        return x;
    }

    private static int FirstAtMostDecreasing(double b, double m1, double m2, double t, int w, double est)
    {
        int x = Estimate(est, w);
        while (x > 0 && (b + (x - 1) * m1) + m2 <= t) x--;
        while (x < w && !((b + x * m1) + m2 <= t)) x++;
        return x;
    }

    private static int FirstBelowDecreasing(double b, double m1, double m2, double t, int w, double est)
    {
        int x = Estimate(est, w);
        while (x > 0 && (b + (x - 1) * m1) + m2 < t) x--;
        while (x < w && !((b + x * m1) + m2 < t)) x++;
        return x;
    }
}
