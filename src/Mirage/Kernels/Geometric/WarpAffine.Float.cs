using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mirage.Kernels.Geometric;

// Float warps: the AVX2 and 128-bit row kernels, their per-pixel blends, and the scalar pixel (scipy's arithmetic in double).
public static unsafe partial class WarpAffine
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FloatRow(float* ps, float* drow, float* dEnd, int r, in Plan p, float cval)
    {
        // scipy 1.10's order of operations, (row·m0 + col·m1) + offset: at ties of order 0 the last bit matters.
        double baseR = r * p.M00, baseC = r * p.M10;
        float* sEnd = ps + p.SrcLen;
        int C = p.C, x = 0;
        if (p.Vector)
        {
            int* offs = stackalloc int[32];
            double* w = stackalloc double[16];
            bool clampAll = p.Mode == WarpBoundary.Mode.Nearest;
            var vStride = Vector256.Create(p.Stride);
            var vC = Vector256.Create(C);
            var one = Vector256.Create(1.0);
            for (; x + 8 <= p.DstW; x += 8)
            {
                Coords(baseR, p.M01, p.M02, x, out var srLo, out var srHi);
                Coords(baseC, p.M11, p.M12, x, out var scLo, out var scHi);
                if (!clampAll && !Inside8(srLo, srHi, scLo, scHi, p))
                {
                    for (int i = 0; i < 8; i++) FloatPixel(ps, drow, x + i, baseR, baseC, p, cval);
                    continue;
                }
                float* d = drow + x * C;
                if (p.Linear)
                {
                    var frLo = Vector256.Floor(srLo);
                    var frHi = Vector256.Floor(srHi);
                    var fcLo = Vector256.Floor(scLo);
                    var fcHi = Vector256.Floor(scHi);
                    Neighbours(frLo, frHi, p.SrcH, out var r0, out var r1);
                    Neighbours(fcLo, fcHi, p.SrcW, out var c0, out var c1);
                    var row0 = r0 * vStride;
                    var row1 = r1 * vStride;
                    var col0 = c0 * vC;
                    var col1 = c1 * vC;
                    // scipy's weights: w0 = 1 − t, w1 = 1 − w0 (not t), accumulated in double.
                    var wr0Lo = one - (srLo - frLo);
                    var wr0Hi = one - (srHi - frHi);
                    var wc0Lo = one - (scLo - fcLo);
                    var wc0Hi = one - (scHi - fcHi);
                    if (C == 1)
                    {
                        var a = Avx2.GatherVector256(ps, row0 + col0, 4);
                        var b = Avx2.GatherVector256(ps, row0 + col1, 4);
                        var c = Avx2.GatherVector256(ps, row1 + col0, 4);
                        var e = Avx2.GatherVector256(ps, row1 + col1, 4);
                        Blend4(a.GetLower(), b.GetLower(), c.GetLower(), e.GetLower(), wr0Lo, wc0Lo).Store(d);
                        Blend4(a.GetUpper(), b.GetUpper(), c.GetUpper(), e.GetUpper(), wr0Hi, wc0Hi).Store(d + 4);
                        continue;
                    }
                    (row0 + col0).Store(offs);
                    (row0 + col1).Store(offs + 8);
                    (row1 + col0).Store(offs + 16);
                    (row1 + col1).Store(offs + 24);
                    wr0Lo.Store(w);
                    wr0Hi.Store(w + 4);
                    wc0Lo.Store(w + 8);
                    wc0Hi.Store(w + 12);
                    for (int i = 0; i < 8; i++)
                        BlendFloat(ps + offs[i], ps + offs[8 + i], ps + offs[16 + i], ps + offs[24 + i], C, w[i], w[8 + i], d + i * C, sEnd, dEnd);
                }
                else
                {
                    var off = NearestIndex(srLo, srHi, p.SrcH) * vStride + NearestIndex(scLo, scHi, p.SrcW) * vC;
                    if (C == 1)
                    {
                        Avx2.GatherVector256(ps, off, 4).Store(d);
                        continue;
                    }
                    off.Store(offs);
                    for (int i = 0; i < 8; i++) CopyFloat(ps + offs[i], C, d + i * C, sEnd, dEnd);
                }
            }
        }
        else if (p.Vector128Double)
        {
            x = FloatRow128(ps, drow, dEnd, baseR, baseC, p, cval);
        }
        for (; x < p.DstW; x++) FloatPixel(ps, drow, x, baseR, baseC, p, cval);
    }

    // Kept separate from FloatRow's AVX2 loop: no 64-bit-lane float-to-int before AVX-512 (2^52 trick here), no gather.
    /// <summary>
    /// Floats with 128-bit vectors, four pixels per step, the AVX2 path's arithmetic: scipy's coordinates, floors,
    /// clamped neighbours, offsets and weights in double vectors (offsets exact, integers below 2^31), then each pixel
    /// blended in double (<see cref="BlendFloat128"/>) or copied. With fill modes other than 'nearest', steps that touch
    /// the border go to <see cref="FloatPixel"/>. Returns the first column not done.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FloatRow128(float* ps, float* drow, float* dEnd, double baseR, double baseC, in Plan p, float cval)
    {
        int C = p.C, x = 0;
        int* offs = stackalloc int[16];
        double* w = stackalloc double[8];
        float* sEnd = ps + p.SrcLen;
        bool clampAll = p.Mode == WarpBoundary.Mode.Nearest;
        var v = new Row128(baseR, baseC, p);
        var one = Vector128.Create(1.0);
        var xs = Vector128.Create(0.0, 1.0);
        for (; x + 4 <= p.DstW; x += 4, xs += Vector128.Create(4.0))
        {
            Coords4(v.BaseR, v.M01, v.M02, xs, out var srLo, out var srHi);
            Coords4(v.BaseC, v.M11, v.M12, xs, out var scLo, out var scHi);
            if (!clampAll && !Inside4(srLo, srHi, scLo, scHi, v.LastR, v.LastC, p.Linear))
            {
                for (int i = 0; i < 4; i++) FloatPixel(ps, drow, x + i, baseR, baseC, p, cval);
                continue;
            }
            float* d = drow + x * C;
            if (p.Linear)
            {
                var frLo = Vector128.Floor(srLo);
                var frHi = Vector128.Floor(srHi);
                var fcLo = Vector128.Floor(scLo);
                var fcHi = Vector128.Floor(scHi);
                var row0Lo = Clamp128(frLo, v.LastR) * v.Stride;
                var row0Hi = Clamp128(frHi, v.LastR) * v.Stride;
                var row1Lo = Clamp128(frLo + one, v.LastR) * v.Stride;
                var row1Hi = Clamp128(frHi + one, v.LastR) * v.Stride;
                var col0Lo = Clamp128(fcLo, v.LastC) * v.C;
                var col0Hi = Clamp128(fcHi, v.LastC) * v.C;
                var col1Lo = Clamp128(fcLo + one, v.LastC) * v.C;
                var col1Hi = Clamp128(fcHi + one, v.LastC) * v.C;
                ToInt4(row0Lo + col0Lo, row0Hi + col0Hi).Store(offs);
                ToInt4(row0Lo + col1Lo, row0Hi + col1Hi).Store(offs + 4);
                ToInt4(row1Lo + col0Lo, row1Hi + col0Hi).Store(offs + 8);
                ToInt4(row1Lo + col1Lo, row1Hi + col1Hi).Store(offs + 12);
                // scipy's weights: w0 = 1 − t, w1 = 1 − w0 (not t), accumulated in double.
                var wr0Lo = one - (srLo - frLo);
                var wr0Hi = one - (srHi - frHi);
                var wc0Lo = one - (scLo - fcLo);
                var wc0Hi = one - (scHi - fcHi);
                if (C == 1)
                {
                    Vector128.Narrow(Blend2(ps, offs, wr0Lo, wc0Lo), Blend2(ps, offs + 2, wr0Hi, wc0Hi)).Store(d);
                    continue;
                }
                wr0Lo.Store(w);
                wr0Hi.Store(w + 2);
                wc0Lo.Store(w + 4);
                wc0Hi.Store(w + 6);
                for (int i = 0; i < 4; i++)
                    BlendFloat128(ps + offs[i], ps + offs[4 + i], ps + offs[8 + i], ps + offs[12 + i], C, w[i], w[4 + i], d + i * C, sEnd, dEnd);
            }
            else
            {
                var off = ToInt4(NearestIndex128(srLo, v.LastR) * v.Stride + NearestIndex128(scLo, v.LastC) * v.C,
                                 NearestIndex128(srHi, v.LastR) * v.Stride + NearestIndex128(scHi, v.LastC) * v.C);
                if (C == 1)
                {
                    Vector128.Create(ps[off.ToScalar()], ps[off.GetElement(1)], ps[off.GetElement(2)], ps[off.GetElement(3)]).Store(d);
                    continue;
                }
                for (int i = 0; i < 4; i++) CopyFloat(ps + off.GetElement(i), C, d + i * C, sEnd, dEnd);
            }
        }
        return x;
    }

    /// <summary>Two one-channel pixels (neighbour offsets at o, o + 4, o + 8, o + 12) blended as scipy sums them, in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Blend2(float* ps, int* o, Vector128<double> wr0, Vector128<double> wc0)
    {
        var one = Vector128.Create(1.0);
        var wr1 = one - wr0;
        var wc1 = one - wc0;
        var va = Vector128.Create((double)ps[o[0]], ps[o[1]]);
        var vb = Vector128.Create((double)ps[o[4]], ps[o[5]]);
        var vc = Vector128.Create((double)ps[o[8]], ps[o[9]]);
        var ve = Vector128.Create((double)ps[o[12]], ps[o[13]]);
        return va * wr0 * wc0 + vb * wr0 * wc1 + vc * wr1 * wc0 + ve * wr1 * wc1;
    }

    // Kept separate from BlendFloat: AVX2 widens four floats into one 256-bit double vector, 128 bits in two halves.
    /// <summary><see cref="BlendFloat"/> with 128-bit vectors: four channels as two pairs of doubles, the same overreach rules.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlendFloat128(float* a, float* b, float* c, float* e, int C, double wr0, double wc0, float* d, float* sEnd, float* dEnd)
    {
        double wr1 = 1.0 - wr0, wc1 = 1.0 - wc0;
        var vr0 = Vector128.Create(wr0);
        var vr1 = Vector128.Create(wr1);
        var vc0 = Vector128.Create(wc0);
        var vc1 = Vector128.Create(wc1);
        int k = 0;
        for (; k + 4 <= C || (k < C && e + k + 4 <= sEnd && d + k + 4 <= dEnd); k += 4)
        {
            var va = Vector128.Load(a + k);
            var vb = Vector128.Load(b + k);
            var vc = Vector128.Load(c + k);
            var ve = Vector128.Load(e + k);
            var lo = Vector128.WidenLower(va) * vr0 * vc0 + Vector128.WidenLower(vb) * vr0 * vc1 +
                     Vector128.WidenLower(vc) * vr1 * vc0 + Vector128.WidenLower(ve) * vr1 * vc1;
            var hi = Vector128.WidenUpper(va) * vr0 * vc0 + Vector128.WidenUpper(vb) * vr0 * vc1 +
                     Vector128.WidenUpper(vc) * vr1 * vc0 + Vector128.WidenUpper(ve) * vr1 * vc1;
            Vector128.Narrow(lo, hi).Store(d + k);
        }
        for (; k < C; k++) d[k] = (float)((double)a[k] * wr0 * wc0 + (double)b[k] * wr0 * wc1 + (double)c[k] * wr1 * wc0 + (double)e[k] * wr1 * wc1);
    }

    /// <summary>Four one-channel pixels blended as scipy sums them, in double, rounded to float once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Blend4(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> e,
        Vector256<double> wr0, Vector256<double> wc0)
    {
        var one = Vector256.Create(1.0);
        var wr1 = one - wr0;
        var wc1 = one - wc0;
        var va = Avx.ConvertToVector256Double(a);
        var vb = Avx.ConvertToVector256Double(b);
        var vc = Avx.ConvertToVector256Double(c);
        var ve = Avx.ConvertToVector256Double(e);
        return Avx.ConvertToVector128Single(va * wr0 * wc0 + vb * wr0 * wc1 + vc * wr1 * wc0 + ve * wr1 * wc1);
    }

    /// <summary>
    /// Bilinear blend of one pixel's channels, four at a time, as scipy sums it: (v·wr)·wc over the four
    /// neighbours in double, rounded to float once. With fewer than four channels left it reads and writes past the
    /// pixel (the extra lanes land on the next pixel, which is written later) when that stays in bounds;
    /// <paramref name="e"/> is the neighbour with the largest address.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlendFloat(float* a, float* b, float* c, float* e, int C, double wr0, double wc0, float* d, float* sEnd, float* dEnd)
    {
        double wr1 = 1.0 - wr0, wc1 = 1.0 - wc0;
        var vr0 = Vector256.Create(wr0);
        var vr1 = Vector256.Create(wr1);
        var vc0 = Vector256.Create(wc0);
        var vc1 = Vector256.Create(wc1);
        int k = 0;
        for (; k + 4 <= C || (k < C && e + k + 4 <= sEnd && d + k + 4 <= dEnd); k += 4)
        {
            var va = Avx.ConvertToVector256Double(Vector128.Load(a + k));
            var vb = Avx.ConvertToVector256Double(Vector128.Load(b + k));
            var vc = Avx.ConvertToVector256Double(Vector128.Load(c + k));
            var ve = Avx.ConvertToVector256Double(Vector128.Load(e + k));
            Avx.ConvertToVector128Single(va * vr0 * vc0 + vb * vr0 * vc1 + vc * vr1 * vc0 + ve * vr1 * vc1).Store(d + k);
        }
        for (; k < C; k++) d[k] = (float)((double)a[k] * wr0 * wc0 + (double)b[k] * wr0 * wc1 + (double)c[k] * wr1 * wc0 + (double)e[k] * wr1 * wc1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyFloat(float* s, int C, float* d, float* sEnd, float* dEnd)
    {
        int k = 0;
        for (; k + 4 <= C || (k < C && s + k + 4 <= sEnd && d + k + 4 <= dEnd); k += 4) Vector128.Load(s + k).Store(d + k);
        for (; k < C; k++) d[k] = s[k];
    }

    /// <summary>The scalar path: any pixel, any mode; the same arithmetic as the vector path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FloatPixel(float* ps, float* drow, int x, double baseR, double baseC, in Plan p, float cval)
    {
        double sr = (baseR + x * p.M01) + p.M02, sc = (baseC + x * p.M11) + p.M12;
        int C = p.C;
        float* d = drow + x * C;
        if (p.Linear)
        {
            if (!WarpBoundary.Linear(sr, p.SrcH, p.Mode, out int r0, out int r1, out double tr) ||
                !WarpBoundary.Linear(sc, p.SrcW, p.Mode, out int c0, out int c1, out double tc))
            {
                for (int k = 0; k < C; k++) d[k] = cval;
                return;
            }
            double wr0 = 1.0 - tr, wc0 = 1.0 - tc, wr1 = 1.0 - wr0, wc1 = 1.0 - wc0;
            float* a = ps + r0 * p.Stride + c0 * C, b = ps + r0 * p.Stride + c1 * C;
            float* c = ps + r1 * p.Stride + c0 * C, e = ps + r1 * p.Stride + c1 * C;
            for (int k = 0; k < C; k++)
                d[k] = (float)((double)a[k] * wr0 * wc0 + (double)b[k] * wr0 * wc1 + (double)c[k] * wr1 * wc0 + (double)e[k] * wr1 * wc1);
        }
        else
        {
            if (!WarpBoundary.Nearest(sr, p.SrcH, p.Mode, out int ri) || !WarpBoundary.Nearest(sc, p.SrcW, p.Mode, out int ci))
            {
                for (int k = 0; k < C; k++) d[k] = cval;
                return;
            }
            float* s = ps + ri * p.Stride + ci * C;
            for (int k = 0; k < C; k++) d[k] = s[k];
        }
    }
}
