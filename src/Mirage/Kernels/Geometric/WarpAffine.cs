using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mirage.Geometry;
using Mirage.Imaging;

namespace Mirage.Kernels.Geometric;

/// <summary>
/// One-pass affine resampling: dst(r, c) = src(m · (r, c)), with scipy.ndimage.affine_transform's semantics
/// (scipy 1.10, orders 0 and 1, no prefilter). The destination may differ in height and width from the source
/// (scipy's output_shape) but must have its channel count, and must not be the source.
/// </summary>
/// <remarks>
/// Source coordinates are computed in double exactly as scipy 1.10 does ((r·m0 + c·m1) + offset), so every pixel picks
/// the same neighbours as scipy. Chunks of four output pixels whose sources lie wholly inside the image take the
/// vector path (AVX: coordinates and float blends in double, as scipy; bytes in 11-bit fixed point); any chunk touching a border,
/// and any machine without AVX, goes through the per-pixel scalar path, which computes the same numbers.
/// </remarks>
public static unsafe class WarpAffine
{
    /// <summary>Fractional bits of the byte path's bilinear weights.</summary>
    internal const int WeightBits = 11;
    private const int One = 1 << WeightBits;
    private const int Shift2 = 2 * WeightBits;
    private const int Round2 = 1 << (Shift2 - 1);

    public static void Apply(Image<float> src, Image<float> dst, in AffineMatrix m, in WarpOptions options) =>
        Apply(src, dst, m, options, vectorized: true);

    public static void Apply(Image<byte> src, Image<byte> dst, in AffineMatrix m, in WarpOptions options) =>
        Apply(src, dst, m, options, vectorized: true);

    /// <summary>Tests pass <paramref name="vectorized"/> = false to check the scalar path against the vector path.</summary>
    internal static void Apply(Image<float> src, Image<float> dst, in AffineMatrix m, in WarpOptions options, bool vectorized)
    {
        var plan = new Plan(src.Info, dst.Info, ReferenceEquals(src, dst), m, options, vectorized);
        fixed (float* ps = src.Span)
        fixed (float* pd = dst.Span)
        {
            for (int r = 0; r < dst.Height; r++) FloatRow(ps, pd, r, plan, options.Cval);
        }
    }

    internal static void Apply(Image<byte> src, Image<byte> dst, in AffineMatrix m, in WarpOptions options, bool vectorized)
    {
        var plan = new Plan(src.Info, dst.Info, ReferenceEquals(src, dst), m, options, vectorized);
        float cv = MathF.Round(options.Cval, MidpointRounding.ToEven);
        byte cval = cv <= 0f ? (byte)0 : cv >= 255f ? (byte)255 : (byte)cv;
        fixed (byte* ps = src.Span)
        fixed (byte* pd = dst.Span)
        {
            for (int r = 0; r < dst.Height; r++) ByteRow(ps, pd, r, plan, cval);
        }
    }

    private readonly struct Plan
    {
        public readonly int SrcH, SrcW, C, Stride, SrcLen, DstW, DstLen;
        public readonly WarpBoundary.Mode Mode;
        public readonly bool Linear, Vector, Gather;
        public readonly double M00, M01, M02, M10, M11, M12;

        public Plan(ImageInfo src, ImageInfo dst, bool sameImage, in AffineMatrix m, in WarpOptions o, bool vectorized)
        {
            if (sameImage) throw new ArgumentException("WarpAffine cannot work in place: the destination must be a different image.", nameof(dst));
            if (dst.Channels != src.Channels)
                throw new ArgumentException($"The destination has {dst.Channels} channels but the source {src} has {src.Channels}.", nameof(dst));
            if (!(double.IsFinite(m.M00) && double.IsFinite(m.M01) && double.IsFinite(m.M02) &&
                  double.IsFinite(m.M10) && double.IsFinite(m.M11) && double.IsFinite(m.M12)))
                throw new ArgumentException($"The affine matrix {m} has a non-finite entry.", nameof(m));
            if (o.Interpolation is not (Interpolation.Nearest or Interpolation.Bilinear))
                throw new ArgumentOutOfRangeException(nameof(o), o.Interpolation, "WarpAffine supports orders 0 (nearest) and 1 (bilinear).");
            SrcH = src.Height; SrcW = src.Width; C = src.Channels; Stride = src.Width * src.Channels;
            SrcLen = src.Length; DstW = dst.Width; DstLen = dst.Length;
            Mode = WarpBoundary.From(o.FillMode, o.KerasCompatible);
            Linear = o.Interpolation == Interpolation.Bilinear;
            Vector = vectorized && Avx.IsSupported && Sse41.IsSupported;
            Gather = Vector && Avx2.IsSupported;
            (M00, M01, M02, M10, M11, M12) = (m.M00, m.M01, m.M02, m.M10, m.M11, m.M12);
        }
    }

    // ---------------------------------------------------------------- float

    private static void FloatRow(float* ps, float* pd, int r, in Plan p, float cval)
    {
        // scipy 1.10's order of operations, (row·m0 + col·m1) + offset: at ties of order 0 the last bit matters.
        double baseR = r * p.M00, baseC = r * p.M10;
        float* drow = pd + (long)r * p.DstW * p.C;
        float* sEnd = ps + p.SrcLen, dEnd = pd + p.DstLen;
        int C = p.C, x = 0;
        if (p.Vector)
        {
            var iota = Vector256.Create(0.0, 1.0, 2.0, 3.0);
            var vBaseR = Vector256.Create(baseR);
            var vBaseC = Vector256.Create(baseC);
            var m01 = Vector256.Create(p.M01);
            var m11 = Vector256.Create(p.M11);
            var m02 = Vector256.Create(p.M02);
            var m12 = Vector256.Create(p.M12);
            var limR = Vector256.Create((double)(p.SrcH - 1));
            var limC = Vector256.Create((double)(p.SrcW - 1));
            var half = Vector256.Create(0.5);
            var vStride = Vector128.Create(p.Stride);
            var vC = Vector128.Create(C);
            var one = Vector256.Create(1.0);
            for (; x + 4 <= p.DstW; x += 4)
            {
                var xs = Vector256.Create((double)x) + iota;
                var sr = (vBaseR + xs * m01) + m02;
                var sc = (vBaseC + xs * m11) + m12;
                if (!Inside(sr, sc, limR, limC, p.Linear))
                {
                    for (int i = 0; i < 4; i++) FloatPixel(ps, drow, x + i, baseR, baseC, p, cval);
                    continue;
                }
                if (p.Linear)
                {
                    var fr = Vector256.Floor(sr);
                    var fc = Vector256.Floor(sc);
                    var off = Avx.ConvertToVector128Int32WithTruncation(fr) * vStride + Avx.ConvertToVector128Int32WithTruncation(fc) * vC;
                    // scipy's weights: w0 = 1 − t, w1 = 1 − w0 (not t), accumulated in double.
                    var wr0 = one - (sr - fr);
                    var wc0 = one - (sc - fc);
                    var wr1 = one - wr0;
                    var wc1 = one - wc0;
                    if (C == 1 && p.Gather)
                    {
                        var a = Avx.ConvertToVector256Double(Avx2.GatherVector128(ps, off, 4));
                        var b = Avx.ConvertToVector256Double(Avx2.GatherVector128(ps + 1, off, 4));
                        var c = Avx.ConvertToVector256Double(Avx2.GatherVector128(ps + p.Stride, off, 4));
                        var d = Avx.ConvertToVector256Double(Avx2.GatherVector128(ps + p.Stride + 1, off, 4));
                        Avx.ConvertToVector128Single(a * wr0 * wc0 + b * wr0 * wc1 + c * wr1 * wc0 + d * wr1 * wc1).Store(drow + x);
                        continue;
                    }
                    for (int i = 0; i < 4; i++)
                        BlendFloat(ps + off.GetElement(i), C, p.Stride, wr0.GetElement(i), wc0.GetElement(i), drow + (x + i) * C, sEnd, dEnd);
                }
                else
                {
                    var off = Avx.ConvertToVector128Int32WithTruncation(Vector256.Floor(sr + half)) * vStride
                            + Avx.ConvertToVector128Int32WithTruncation(Vector256.Floor(sc + half)) * vC;
                    if (C == 1 && p.Gather)
                    {
                        Avx2.GatherVector128(ps, off, 4).Store(drow + x);
                        continue;
                    }
                    for (int i = 0; i < 4; i++) CopyFloat(ps + off.GetElement(i), C, drow + (x + i) * C, sEnd, dEnd);
                }
            }
        }
        for (; x < p.DstW; x++) FloatPixel(ps, drow, x, baseR, baseC, p, cval);
    }

    /// <summary>True when all four sources are interior: no boundary rule applies, whatever the mode.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Inside(Vector256<double> sr, Vector256<double> sc, Vector256<double> limR, Vector256<double> limC, bool linear)
    {
        var ge = Vector256.GreaterThanOrEqual(sr, Vector256<double>.Zero) & Vector256.GreaterThanOrEqual(sc, Vector256<double>.Zero);
        // Bilinear needs start + 1 ≤ n − 1, so c < n − 1; nearest only needs c ≤ n − 1.
        var le = linear
            ? Vector256.LessThan(sr, limR) & Vector256.LessThan(sc, limC)
            : Vector256.LessThanOrEqual(sr, limR) & Vector256.LessThanOrEqual(sc, limC);
        return (ge & le).ExtractMostSignificantBits() == 0xF;
    }

    /// <summary>
    /// Bilinear blend of one pixel's channels, four at a time, as scipy sums it: (v·wr)·wc over the four
    /// neighbours in double, rounded to float once. With fewer than four channels left it reads and writes past the
    /// pixel (the extra lanes land on the next pixel, which is written later) when that stays in bounds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlendFloat(float* a, int C, int stride, double wr0, double wc0, float* d, float* sEnd, float* dEnd)
    {
        float* b = a + C, c = a + stride, e = c + C;
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

    // ---------------------------------------------------------------- byte

    private static void ByteRow(byte* ps, byte* pd, int r, in Plan p, byte cval)
    {
        double baseR = r * p.M00, baseC = r * p.M10;
        byte* drow = pd + (long)r * p.DstW * p.C;
        byte* sEnd = ps + p.SrcLen, dEnd = pd + p.DstLen;
        int C = p.C, x = 0;
        if (p.Vector)
        {
            var iota = Vector256.Create(0.0, 1.0, 2.0, 3.0);
            var vBaseR = Vector256.Create(baseR);
            var vBaseC = Vector256.Create(baseC);
            var m01 = Vector256.Create(p.M01);
            var m11 = Vector256.Create(p.M11);
            var m02 = Vector256.Create(p.M02);
            var m12 = Vector256.Create(p.M12);
            var limR = Vector256.Create((double)(p.SrcH - 1));
            var limC = Vector256.Create((double)(p.SrcW - 1));
            var half = Vector256.Create(0.5);
            var scale = Vector256.Create((double)One);
            var vStride = Vector128.Create(p.Stride);
            var vC = Vector128.Create(C);
            var vOne = Vector128.Create(One);
            var vRound = Vector128.Create(Round2);
            var lowByte = Vector128.Create(0xFF);
            // A 4-byte gather at offset o reads o..o+3; these bounds keep every read inside the source.
            var gatherLimit = Vector128.Create(p.SrcLen - p.Stride - 3);
            var gatherLimit0 = Vector128.Create(p.SrcLen - 3);
            for (; x + 4 <= p.DstW; x += 4)
            {
                var xs = Vector256.Create((double)x) + iota;
                var sr = (vBaseR + xs * m01) + m02;
                var sc = (vBaseC + xs * m11) + m12;
                if (!Inside(sr, sc, limR, limC, p.Linear))
                {
                    for (int i = 0; i < 4; i++) BytePixel(ps, drow, x + i, baseR, baseC, p, cval);
                    continue;
                }
                if (p.Linear)
                {
                    var fr = Vector256.Floor(sr);
                    var fc = Vector256.Floor(sc);
                    var off = Avx.ConvertToVector128Int32WithTruncation(fr) * vStride + Avx.ConvertToVector128Int32WithTruncation(fc) * vC;
                    var wy = Avx.ConvertToVector128Int32WithTruncation((sr - fr) * scale + half);
                    var wx = Avx.ConvertToVector128Int32WithTruncation((sc - fc) * scale + half);
                    if (C == 1 && p.Gather && Vector128.LessThanAll(off, gatherLimit))
                    {
                        // One gather fetches a pixel and its right-hand neighbour.
                        var g0 = Avx2.GatherVector128((int*)ps, off, 1);
                        var g1 = Avx2.GatherVector128((int*)(ps + p.Stride), off, 1);
                        var wx0 = vOne - wx;
                        var top = (g0 & lowByte) * wx0 + (Vector128.ShiftRightLogical(g0, 8) & lowByte) * wx;
                        var bot = (g1 & lowByte) * wx0 + (Vector128.ShiftRightLogical(g1, 8) & lowByte) * wx;
                        var v = Vector128.ShiftRightArithmetic(top * (vOne - wy) + bot * wy + vRound, Shift2);
                        *(uint*)(drow + x) = PackToBytes(v);
                        continue;
                    }
                    for (int i = 0; i < 4; i++)
                        BlendByte(ps + off.GetElement(i), C, p.Stride, wx.GetElement(i), wy.GetElement(i), drow + (x + i) * C, sEnd, dEnd);
                }
                else
                {
                    var off = Avx.ConvertToVector128Int32WithTruncation(Vector256.Floor(sr + half)) * vStride
                            + Avx.ConvertToVector128Int32WithTruncation(Vector256.Floor(sc + half)) * vC;
                    if (C == 1 && p.Gather && Vector128.LessThanAll(off, gatherLimit0))
                    {
                        *(uint*)(drow + x) = PackToBytes(Avx2.GatherVector128((int*)ps, off, 1) & lowByte);
                        continue;
                    }
                    for (int i = 0; i < 4; i++) CopyByte(ps + off.GetElement(i), C, drow + (x + i) * C, sEnd, dEnd);
                }
            }
        }
        for (; x < p.DstW; x++) BytePixel(ps, drow, x, baseR, baseC, p, cval);
    }

    /// <summary>Four int lanes (each 0..255) to four bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint PackToBytes(Vector128<int> v)
    {
        var w = Sse41.PackUnsignedSaturate(v, v).AsInt16();
        return Sse2.PackUnsignedSaturate(w, w).AsUInt32().ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Load4(byte* s) => Sse41.ConvertToVector128Int32(Vector128.CreateScalarUnsafe(*(uint*)s).AsByte());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlendByte(byte* a, int C, int stride, int wx, int wy, byte* d, byte* sEnd, byte* dEnd)
    {
        byte* b = a + C, c = a + stride, e = c + C;
        int wx0 = One - wx, wy0 = One - wy;
        var vwx = Vector128.Create(wx);
        var vwy = Vector128.Create(wy);
        var vwx0 = Vector128.Create(wx0);
        var vwy0 = Vector128.Create(wy0);
        var vRound = Vector128.Create(Round2);
        int k = 0;
        for (; k + 4 <= C || (k < C && e + k + 4 <= sEnd && d + k + 4 <= dEnd); k += 4)
        {
            var top = Load4(a + k) * vwx0 + Load4(b + k) * vwx;
            var bot = Load4(c + k) * vwx0 + Load4(e + k) * vwx;
            *(uint*)(d + k) = PackToBytes(Vector128.ShiftRightArithmetic(top * vwy0 + bot * vwy + vRound, Shift2));
        }
        for (; k < C; k++)
        {
            int top = a[k] * wx0 + b[k] * wx, bot = c[k] * wx0 + e[k] * wx;
            d[k] = (byte)((top * wy0 + bot * wy + Round2) >> Shift2);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyByte(byte* s, int C, byte* d, byte* sEnd, byte* dEnd)
    {
        int k = 0;
        for (; k + 4 <= C || (k < C && s + k + 4 <= sEnd && d + k + 4 <= dEnd); k += 4) *(uint*)(d + k) = *(uint*)(s + k);
        for (; k < C; k++) d[k] = s[k];
    }

    private static void BytePixel(byte* ps, byte* drow, int x, double baseR, double baseC, in Plan p, byte cval)
    {
        double sr = (baseR + x * p.M01) + p.M02, sc = (baseC + x * p.M11) + p.M12;
        int C = p.C;
        byte* d = drow + x * C;
        if (p.Linear)
        {
            if (!WarpBoundary.Linear(sr, p.SrcH, p.Mode, out int r0, out int r1, out double tr) ||
                !WarpBoundary.Linear(sc, p.SrcW, p.Mode, out int c0, out int c1, out double tc))
            {
                for (int k = 0; k < C; k++) d[k] = cval;
                return;
            }
            int wy = (int)(tr * One + 0.5), wx = (int)(tc * One + 0.5), wx0 = One - wx, wy0 = One - wy;
            byte* a = ps + r0 * p.Stride + c0 * C, b = ps + r0 * p.Stride + c1 * C;
            byte* c = ps + r1 * p.Stride + c0 * C, e = ps + r1 * p.Stride + c1 * C;
            for (int k = 0; k < C; k++)
            {
                int top = a[k] * wx0 + b[k] * wx, bot = c[k] * wx0 + e[k] * wx;
                d[k] = (byte)((top * wy0 + bot * wy + Round2) >> Shift2);
            }
        }
        else
        {
            if (!WarpBoundary.Nearest(sr, p.SrcH, p.Mode, out int ri) || !WarpBoundary.Nearest(sc, p.SrcW, p.Mode, out int ci))
            {
                for (int k = 0; k < C; k++) d[k] = cval;
                return;
            }
            byte* s = ps + ri * p.Stride + ci * C;
            for (int k = 0; k < C; k++) d[k] = s[k];
        }
    }
}
