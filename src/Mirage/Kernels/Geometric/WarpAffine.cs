using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Photometric;

namespace Mirage.Kernels.Geometric;

/// <summary>
/// One-pass affine resampling: dst(r, c) = src(m · (r, c)), with scipy.ndimage.affine_transform's semantics
/// (scipy 1.10, orders 0 and 1, no prefilter). The destination may differ in height and width from the source
/// (scipy's output_shape) but must have its channel count, and must not be the source.
/// </summary>
/// <remarks>
/// <para>Source coordinates are computed in double exactly as scipy 1.10 does ((r·m0 + c·m1) + offset), so every pixel
/// picks the same neighbours as scipy. Float blends are summed in double as scipy sums them, so the float path is
/// scipy's result rounded once to float; bytes blend in 11-bit fixed point, rounded once.</para>
/// <para>Vector path (AVX2): eight output pixels at a time. Fill mode 'nearest' needs no boundary test at all: the
/// neighbour indices are clamped in the vector registers (scipy's rule), so every pixel takes it. Other fill modes take
/// it for chunks whose eight sources lie wholly inside the image and send the other chunks to the per-pixel scalar
/// path. Bilinear bytes with up to 4 channels read each pixel's top and bottom neighbour pairs with two 8-byte loads
/// (edge clamps become weight 0 or One on an in-image pair, the same integers), blend with pmaddwd (horizontal) and
/// pmulld (vertical) in exactly the scalar path's integer arithmetic, and compact the lanes with a byte shuffle;
/// order-0 bytes use one 32-bit gather. Floats compute indices and weights eight at a time and blend each pixel's
/// channels four at a time in double. Without AVX2 (no Vector128-only path yet) everything goes through the scalar
/// path, which computes the same numbers.</para>
/// </remarks>
public static unsafe class WarpAffine
{
    /// <summary>Fractional bits of the byte path's bilinear weights.</summary>
    internal const int WeightBits = 11;
    private const int One = 1 << WeightBits;
    private const int Shift2 = 2 * WeightBits;
    private const int Round2 = 1 << (Shift2 - 1);
    /// <summary>Rows of at most this many bytes are staged on the stack by <see cref="ApplyToFloat(Image{byte}, Span{float}, DataLayout, in AffineMatrix, in WarpOptions, ReadOnlySpan{float}, ReadOnlySpan{float})"/>.</summary>
    private const int StackRowBytes = 16384;

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
            float* dEnd = pd + plan.DstLen;
            for (int r = 0; r < dst.Height; r++) FloatRow(ps, pd + (long)r * plan.DstW * plan.C, dEnd, r, plan, options.Cval);
        }
    }

    internal static void Apply(Image<byte> src, Image<byte> dst, in AffineMatrix m, in WarpOptions options, bool vectorized)
    {
        var plan = new Plan(src.Info, dst.Info, ReferenceEquals(src, dst), m, options, vectorized);
        byte cval = ByteCval(options.Cval);
        fixed (byte* ps = src.Span)
        fixed (byte* pd = dst.Span)
        {
            byte* dEnd = pd + plan.DstLen;
            for (int r = 0; r < dst.Height; r++) ByteRow(ps, pd + (long)r * plan.DstW * plan.C, dEnd, r, plan, cval);
        }
    }

    /// <summary>
    /// Warps a byte image and writes it as floats in one pass: dst = (float)warped · scale[c] + offset[c], in
    /// <paramref name="layout"/>, the source's height and width. Equals <see cref="Apply(Image{byte}, Image{byte}, in AffineMatrix, in WarpOptions)"/>
    /// followed by <see cref="Normalize.ToFloat(Image{byte}, Span{float}, DataLayout, ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    /// bit for bit; each warped row is converted while it is still in L1. <paramref name="scale"/> and
    /// <paramref name="offset"/> hold one value per channel or one for all.
    /// </summary>
    public static void ApplyToFloat(Image<byte> src, Span<float> dst, DataLayout layout, in AffineMatrix m, in WarpOptions options,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> offset) =>
        ApplyToFloat(src, dst, src.Height, src.Width, layout, m, options, scale, offset, vectorized: true);

    /// <summary>The same with an output of <paramref name="height"/> × <paramref name="width"/> (scipy's output_shape).</summary>
    public static void ApplyToFloat(Image<byte> src, Span<float> dst, int height, int width, DataLayout layout, in AffineMatrix m,
        in WarpOptions options, ReadOnlySpan<float> scale, ReadOnlySpan<float> offset) =>
        ApplyToFloat(src, dst, height, width, layout, m, options, scale, offset, vectorized: true);

    internal static void ApplyToFloat(Image<byte> src, Span<float> dst, int height, int width, DataLayout layout, in AffineMatrix m,
        in WarpOptions options, ReadOnlySpan<float> scale, ReadOnlySpan<float> offset, bool vectorized)
    {
        var shape = ImageInfo.Create(height, width, src.Channels);
        if (dst.Length < shape.Length)
            throw new ArgumentException($"The destination holds {dst.Length} values but a {shape} output needs {shape.Length}.", nameof(dst));
        var plan = new Plan(src.Info, shape, false, m, options, vectorized);
        var rows = new Normalize.RowConverter(width, shape.Channels, scale, offset, vectorized);
        byte cval = ByteCval(options.Cval);
        int rowBytes = width * shape.Channels, plane = height * width;
        byte[]? rented = rowBytes > StackRowBytes ? ArrayPool<byte>.Shared.Rent(rowBytes) : null;
        Span<byte> row = rented ?? stackalloc byte[StackRowBytes];
        try
        {
            fixed (byte* ps = src.Span)
            fixed (byte* prow = row)
            fixed (float* pd = dst)
            {
                for (int r = 0; r < height; r++)
                {
                    ByteRow(ps, prow, prow + rowBytes, r, plan, cval);
                    if (layout == DataLayout.ChannelsLast) rows.ChannelsLast(prow, pd + (long)r * rowBytes);
                    else rows.ChannelsFirst(prow, pd + (long)r * width, plane);
                }
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static byte ByteCval(float cval)
    {
        float cv = MathF.Round(cval, MidpointRounding.ToEven);
        return cv <= 0f ? (byte)0 : cv >= 255f ? (byte)255 : (byte)cv;
    }

    private readonly struct Plan
    {
        public readonly int SrcH, SrcW, C, Stride, SrcLen, DstW, DstLen;
        public readonly WarpBoundary.Mode Mode;
        public readonly bool Linear, Vector;
        public readonly double M00, M01, M02, M10, M11, M12;
        public readonly Vector256<byte> PairMask;

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
            (M00, M01, M02, M10, M11, M12) = (m.M00, m.M01, m.M02, m.M10, m.M11, m.M12);
            // The vector path clamps coordinates in double; it needs them finite (|m| ≤ 1e100 keeps every sum finite).
            const double Sane = 1e100;
            Vector = vectorized && Avx2.IsSupported && Math.Abs(M00) <= Sane && Math.Abs(M01) <= Sane && Math.Abs(M02) <= Sane &&
                     Math.Abs(M10) <= Sane && Math.Abs(M11) <= Sane && Math.Abs(M12) <= Sane;
            PairMask = Vector ? WarpAffine.PairMask(C) : default;
        }
    }

    // ---------------------------------------------------------------- eight pixels' coordinates

    /// <summary>The eight source coordinates along one axis, scipy's (base + x·m1) + m2, lanes x..x+3 and x+4..x+7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Coords(double baseV, double m1, double m2, int x, out Vector256<double> lo, out Vector256<double> hi)
    {
        var xs = Vector256.Create((double)x) + Vector256.Create(0.0, 1.0, 2.0, 3.0);
        var b = Vector256.Create(baseV);
        var vm1 = Vector256.Create(m1);
        var vm2 = Vector256.Create(m2);
        lo = (b + xs * vm1) + vm2;
        hi = (b + (xs + Vector256.Create(4.0)) * vm1) + vm2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> ToInt(Vector256<double> lo, Vector256<double> hi) =>
        Vector256.Create(Avx.ConvertToVector128Int32WithTruncation(lo), Avx.ConvertToVector128Int32WithTruncation(hi));

    /// <summary>
    /// Bilinear neighbours along one axis of length n from the floors f of the coordinates: clamp(f) and clamp(f + 1),
    /// scipy's 'nearest' rule (clamped in double, so far-away coordinates cannot overflow an int). Inside the image
    /// the clamps do nothing, so every fill mode can use this for interior chunks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Neighbours(Vector256<double> floorLo, Vector256<double> floorHi, int n, out Vector256<int> i0, out Vector256<int> i1)
    {
        var zero = Vector256<double>.Zero;
        var last = Vector256.Create((double)(n - 1));
        var one = Vector256.Create(1.0);
        i0 = ToInt(Avx.Min(Avx.Max(floorLo, zero), last), Avx.Min(Avx.Max(floorHi, zero), last));
        i1 = ToInt(Avx.Min(Avx.Max(floorLo + one, zero), last), Avx.Min(Avx.Max(floorHi + one, zero), last));
    }

    /// <summary>Order 0 along one axis: clamp(floor(c + 0.5), 0, n − 1), which is scipy's 'nearest' rule and a no-op inside.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> NearestIndex(Vector256<double> lo, Vector256<double> hi, int n)
    {
        var half = Vector256.Create(0.5);
        var last = Vector256.Create((double)(n - 1));
        var a = Avx.Min(Avx.Max(Vector256.Floor(lo + half), Vector256<double>.Zero), last);
        var b = Avx.Min(Avx.Max(Vector256.Floor(hi + half), Vector256<double>.Zero), last);
        return ToInt(a, b);
    }

    /// <summary>True when all eight sources are interior: no boundary rule applies, whatever the mode.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Inside8(Vector256<double> srLo, Vector256<double> srHi, Vector256<double> scLo, Vector256<double> scHi, in Plan p)
    {
        var limR = Vector256.Create((double)(p.SrcH - 1));
        var limC = Vector256.Create((double)(p.SrcW - 1));
        return Inside(srLo, scLo, limR, limC, p.Linear) && Inside(srHi, scHi, limR, limC, p.Linear);
    }

    /// <summary>True when all four sources are interior.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Inside(Vector256<double> sr, Vector256<double> sc, Vector256<double> limR, Vector256<double> limC, bool linear)
    {
        var ge = Avx.CompareGreaterThanOrEqual(sr, Vector256<double>.Zero) & Avx.CompareGreaterThanOrEqual(sc, Vector256<double>.Zero);
        // Bilinear needs start + 1 ≤ n − 1, so c < n − 1; nearest only needs c ≤ n − 1.
        var le = linear
            ? Avx.CompareLessThan(sr, limR) & Avx.CompareLessThan(sc, limC)
            : Avx.CompareLessThanOrEqual(sr, limR) & Avx.CompareLessThanOrEqual(sc, limC);
        return Avx.MoveMask(ge & le) == 0xF;
    }

    // ---------------------------------------------------------------- float

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
        for (; x < p.DstW; x++) FloatPixel(ps, drow, x, baseR, baseC, p, cval);
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

    private static void ByteRow(byte* ps, byte* drow, byte* dEnd, int r, in Plan p, byte cval)
    {
        double baseR = r * p.M00, baseC = r * p.M10;
        byte* sEnd = ps + p.SrcLen;
        int C = p.C, x = 0;
        if (p.Vector)
        {
            int* offs = stackalloc int[8];
            int* o4 = stackalloc int[32];
            int* w2 = stackalloc int[16];
            bool clampAll = p.Mode == WarpBoundary.Mode.Nearest;
            // Paired loads need two rows and two columns; a 4-byte gather needs the pixel plus slack of 4 bytes.
            bool fast = C <= 4 && p.SrcH >= 2 && p.SrcW >= 2 && p.SrcLen >= 8;
            var vStride = Vector256.Create(p.Stride);
            var vC = Vector256.Create(C);
            var scale = Vector256.Create((double)One);
            var half = Vector256.Create(0.5);
            var pairMask = p.PairMask;
            // An 8-byte load of the bottom pair at o reads o..o+7; past this a chunk loads its last pairs carefully.
            var pairLimit = Vector256.Create(p.SrcLen - 8 - p.Stride);
            var gatherLimit = Vector256.Create(p.SrcLen - 4);
            // Loop invariants, built once per row (the JIT would rebuild them in every iteration).
            var bR = Vector256.Create(baseR);
            var bC = Vector256.Create(baseC);
            var m01 = Vector256.Create(p.M01);
            var m02 = Vector256.Create(p.M02);
            var m11 = Vector256.Create(p.M11);
            var m12 = Vector256.Create(p.M12);
            var lastR = Vector256.Create((double)(p.SrcH - 1));
            var lastPairR = Vector256.Create((double)(p.SrcH - 2));
            var lastC = Vector256.Create((double)(p.SrcW - 1));
            var lastPairC = Vector256.Create((double)(p.SrcW - 2));
            var four = Vector256.Create(4.0);
            var eight = Vector256.Create(8.0);
            var xs = Vector256.Create(0.0, 1.0, 2.0, 3.0);
            for (; x + 8 <= p.DstW; x += 8, xs += eight)
            {
                // scipy's (base + x·m1) + m2, lanes x..x+3 and x+4..x+7
                var xs4 = xs + four;
                var srLo = (bR + xs * m01) + m02;
                var srHi = (bR + xs4 * m01) + m02;
                var scLo = (bC + xs * m11) + m12;
                var scHi = (bC + xs4 * m11) + m12;
                if (!clampAll && !Inside8(srLo, srHi, scLo, scHi, p))
                {
                    for (int i = 0; i < 8; i++) BytePixel(ps, drow, x + i, baseR, baseC, p, cval);
                    continue;
                }
                byte* d = drow + x * C;
                if (p.Linear)
                {
                    if (fast)
                    {
                        // Neighbours always (i, i + 1): an edge clamp (both neighbours the same pixel) becomes weight 0 or One
                        // on a pair inside the image, which gives the same integers (a·One = a·wx0 + a·wx).
                        PairAxis(srLo, srHi, lastR, lastPairR, scale, half, out var r0, out var wy);
                        PairAxis(scLo, scHi, lastC, lastPairC, scale, half, out var c0, out var wx);
                        var top = r0 * vStride + c0 * vC;
                        bool edge = Avx2.MoveMask(Avx2.CompareGreaterThan(top, pairLimit).AsByte()) != 0;
                        StoreCompact(d, BlendPairs(ps, top, p.Stride, edge ? p.SrcLen : int.MaxValue, pairMask, wx, wy), C);
                        continue;
                    }
                    var frLo = Vector256.Floor(srLo);
                    var frHi = Vector256.Floor(srHi);
                    var fcLo = Vector256.Floor(scLo);
                    var fcHi = Vector256.Floor(scHi);
                    Neighbours(frLo, frHi, p.SrcH, out var r0n, out var r1n);
                    Neighbours(fcLo, fcHi, p.SrcW, out var c0n, out var c1n);
                    var wyn = ToInt((srLo - frLo) * scale + half, (srHi - frHi) * scale + half);
                    var wxn = ToInt((scLo - fcLo) * scale + half, (scHi - fcHi) * scale + half);
                    (r0n * vStride + c0n * vC).Store(o4);
                    (r0n * vStride + c1n * vC).Store(o4 + 8);
                    (r1n * vStride + c0n * vC).Store(o4 + 16);
                    (r1n * vStride + c1n * vC).Store(o4 + 24);
                    wxn.Store(w2);
                    wyn.Store(w2 + 8);
                    for (int i = 0; i < 8; i++)
                        BlendByte(ps + o4[i], ps + o4[8 + i], ps + o4[16 + i], ps + o4[24 + i], C, w2[i], w2[8 + i], d + i * C, sEnd, dEnd);
                }
                else
                {
                    var off = NearestIndex(srLo, srHi, p.SrcH) * vStride + NearestIndex(scLo, scHi, p.SrcW) * vC;
                    if (fast && Avx2.MoveMask(Avx2.CompareGreaterThan(off, gatherLimit).AsByte()) == 0)
                    {
                        StoreCompact(d, Avx2.GatherVector256((int*)ps, off, 1).AsByte(), C);
                        continue;
                    }
                    off.Store(offs);
                    for (int i = 0; i < 8; i++) CopyByte(ps + offs[i], C, d + i * C, sEnd, dEnd);
                }
            }
        }
        for (; x < p.DstW; x++) BytePixel(ps, drow, x, baseR, baseC, p, cval);
    }

    /// <summary>
    /// One axis of the paired byte path: the first neighbour i and the 11-bit weight of i + 1. The coordinate is
    /// clamped to [0, n − 1] first and i = min(floor, n − 2): inside, that is scipy's floor and weight; left of the image
    /// it gives (0, weight 0) and right of it (n − 2, weight One), i.e. pixel 0 or pixel n − 1 alone, which is what
    /// scipy's 'nearest' neighbours (both clamped to the same pixel) give.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PairAxis(Vector256<double> sLo, Vector256<double> sHi, Vector256<double> last, Vector256<double> lastPair,
        Vector256<double> scale, Vector256<double> half, out Vector256<int> i0, out Vector256<int> w)
    {
        var zero = Vector256<double>.Zero;
        var cLo = Avx.Min(Avx.Max(sLo, zero), last);
        var cHi = Avx.Min(Avx.Max(sHi, zero), last);
        var fLo = Avx.Min(Vector256.Floor(cLo), lastPair);
        var fHi = Avx.Min(Vector256.Floor(cHi), lastPair);
        i0 = ToInt(fLo, fHi);
        w = ToInt((cLo - fLo) * scale + half, (cHi - fHi) * scale + half);
    }

    /// <summary>pshufb mask turning one 8-byte load (pixel a then its right neighbour b) into (a_k, b_k) byte pairs for channels 0..3.</summary>
    private static Vector256<byte> PairMask(int C)
    {
        ReadOnlySpan<byte> m = C switch
        {
            4 => [0, 4, 1, 5, 2, 6, 3, 7],
            3 => [0, 3, 1, 4, 2, 5, 6, 7],
            2 => [0, 2, 1, 3, 4, 6, 5, 7],
            _ => [0, 1, 2, 3, 4, 5, 6, 7],
        };
        Span<byte> v = stackalloc byte[32];
        for (int q = 0; q < 4; q++)
            for (int i = 0; i < 8; i++) v[q * 8 + i] = (byte)(m[i] + (q & 1) * 8);
        return Vector256.Create((ReadOnlySpan<byte>)v);
    }

    /// <summary>8 bytes at <paramref name="off"/>; when they would run past <paramref name="len"/>, the last 8 bytes shifted down instead.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Load8(byte* ps, int off, int len) =>
        off + 8 <= len ? *(ulong*)(ps + off) : *(ulong*)(ps + len - 8) >> ((off + 8 - len) * 8);

    /// <summary>
    /// Eight pixels of up to four channels from 8-byte loads of each pixel's top and bottom neighbour pairs (offsets in
    /// <paramref name="offs"/>; loads near the end of the source, <paramref name="len"/>, are made safe). Horizontal pass
    /// with pmaddwd on (a, b) pairs widened to 16 bits against (One − wx, wx); vertical pass in 32 bits; the same
    /// integers as <see cref="BlendByte"/>. Returns 4 bytes per pixel, pixels in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> BlendPairs(byte* ps, Vector256<int> top, int stride, int len, Vector256<byte> pairMask, Vector256<int> wx, Vector256<int> wy)
    {
        // Offsets to general registers two at a time (vmovq/vpextrq), not through a vector store and scalar reloads.
        var lo = top.GetLower().AsUInt64();
        var hi = top.GetUpper().AsUInt64();
        ulong q0 = lo.ToScalar(), q1 = lo.GetElement(1), q2 = hi.ToScalar(), q3 = hi.GetElement(1);
        int o0 = (int)q0, o1 = (int)(q0 >> 32), o2 = (int)q1, o3 = (int)(q1 >> 32);
        int o4 = (int)q2, o5 = (int)(q2 >> 32), o6 = (int)q3, o7 = (int)(q3 >> 32);
        Vector256<byte> t0, t1, b0, b1;
        if (len == int.MaxValue)
        {
            // Lanes (0, 1 | 4, 5) and (2, 3 | 6, 7), so that pshufd broadcasts each pixel's weights.
            t0 = Vector256.Create(Vector128.Create(*(ulong*)(ps + o0), *(ulong*)(ps + o1)),
                                  Vector128.Create(*(ulong*)(ps + o4), *(ulong*)(ps + o5))).AsByte();
            t1 = Vector256.Create(Vector128.Create(*(ulong*)(ps + o2), *(ulong*)(ps + o3)),
                                  Vector128.Create(*(ulong*)(ps + o6), *(ulong*)(ps + o7))).AsByte();
            byte* pb = ps + stride;
            b0 = Vector256.Create(Vector128.Create(*(ulong*)(pb + o0), *(ulong*)(pb + o1)),
                                  Vector128.Create(*(ulong*)(pb + o4), *(ulong*)(pb + o5))).AsByte();
            b1 = Vector256.Create(Vector128.Create(*(ulong*)(pb + o2), *(ulong*)(pb + o3)),
                                  Vector128.Create(*(ulong*)(pb + o6), *(ulong*)(pb + o7))).AsByte();
        }
        else
        {
            t0 = Vector256.Create(Vector128.Create(Load8(ps, o0, len), Load8(ps, o1, len)),
                                  Vector128.Create(Load8(ps, o4, len), Load8(ps, o5, len))).AsByte();
            t1 = Vector256.Create(Vector128.Create(Load8(ps, o2, len), Load8(ps, o3, len)),
                                  Vector128.Create(Load8(ps, o6, len), Load8(ps, o7, len))).AsByte();
            b0 = Vector256.Create(Vector128.Create(Load8(ps, o0 + stride, len), Load8(ps, o1 + stride, len)),
                                  Vector128.Create(Load8(ps, o4 + stride, len), Load8(ps, o5 + stride, len))).AsByte();
            b1 = Vector256.Create(Vector128.Create(Load8(ps, o2 + stride, len), Load8(ps, o3 + stride, len)),
                                  Vector128.Create(Load8(ps, o6 + stride, len), Load8(ps, o7 + stride, len))).AsByte();
        }
        t0 = Avx2.Shuffle(t0, pairMask);
        t1 = Avx2.Shuffle(t1, pairMask);
        b0 = Avx2.Shuffle(b0, pairMask);
        b1 = Avx2.Shuffle(b1, pairMask);
        var one = Vector256.Create(One);
        var wxPair = Avx2.ShiftLeftLogical(wx, 16) | (one - wx); // 16-bit pairs (One − wx, wx)
        var wy0 = one - wy;
        var round = Vector256.Create(Round2);
        var z = Vector256<byte>.Zero;
        var r0 = BlendLanes(Avx2.UnpackLow(t0, z), Avx2.UnpackLow(b0, z), Avx2.Shuffle(wxPair, 0x00), Avx2.Shuffle(wy0, 0x00), Avx2.Shuffle(wy, 0x00), round);
        var r1 = BlendLanes(Avx2.UnpackHigh(t0, z), Avx2.UnpackHigh(b0, z), Avx2.Shuffle(wxPair, 0x55), Avx2.Shuffle(wy0, 0x55), Avx2.Shuffle(wy, 0x55), round);
        var r2 = BlendLanes(Avx2.UnpackLow(t1, z), Avx2.UnpackLow(b1, z), Avx2.Shuffle(wxPair, 0xAA), Avx2.Shuffle(wy0, 0xAA), Avx2.Shuffle(wy, 0xAA), round);
        var r3 = BlendLanes(Avx2.UnpackHigh(t1, z), Avx2.UnpackHigh(b1, z), Avx2.Shuffle(wxPair, 0xFF), Avx2.Shuffle(wy0, 0xFF), Avx2.Shuffle(wy, 0xFF), round);
        var p01 = Avx2.PackUnsignedSaturate(r0, r1).AsInt16(); // pixels 0, 1 | 4, 5
        var p23 = Avx2.PackUnsignedSaturate(r2, r3).AsInt16(); // pixels 2, 3 | 6, 7
        return Avx2.PackUnsignedSaturate(p01, p23);           // pixels 0..3 | 4..7
    }

    /// <summary>One pixel per 128-bit lane, four channels: ((a·wx0 + b·wx)·wy0 + (c·wx0 + e·wx)·wy + round) >> 22.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> BlendLanes(Vector256<byte> top, Vector256<byte> bottom, Vector256<int> wxPair,
        Vector256<int> wy0, Vector256<int> wy, Vector256<int> round)
    {
        var t = Avx2.MultiplyAddAdjacent(top.AsInt16(), wxPair.AsInt16());
        var b = Avx2.MultiplyAddAdjacent(bottom.AsInt16(), wxPair.AsInt16());
        return Avx2.ShiftRightArithmetic(t * wy0 + b * wy + round, Shift2);
    }

    private static readonly Vector256<byte> Compact3 = Vector256.Create(
        (byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80,
        0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80);
    private static readonly Vector256<byte> Compact2 = Vector256.Create(
        (byte)0, 1, 4, 5, 8, 9, 12, 13, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0, 1, 4, 5, 8, 9, 12, 13, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
    private static readonly Vector256<byte> Compact1 = Vector256.Create(
        (byte)0, 4, 8, 12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0, 4, 8, 12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);

    /// <summary>Stores the first C of each pixel's 4 bytes: exactly 8·C bytes, nothing past them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreCompact(byte* d, Vector256<byte> v, int C)
    {
        switch (C)
        {
            case 4:
                v.Store(d);
                return;
            case 3:
            {
                var s = Avx2.PermuteVar8x32(Avx2.Shuffle(v, Compact3).AsInt32(), Vector256.Create(0, 1, 2, 4, 5, 6, 3, 7)).AsByte();
                s.GetLower().Store(d);
                *(ulong*)(d + 16) = s.GetUpper().AsUInt64().ToScalar();
                return;
            }
            case 2:
                Avx2.Permute4x64(Avx2.Shuffle(v, Compact2).AsUInt64(), 0b11_01_10_00).AsByte().GetLower().Store(d);
                return;
            default:
            {
                var s = Avx2.PermuteVar8x32(Avx2.Shuffle(v, Compact1).AsInt32(), Vector256.Create(0, 4, 1, 2, 3, 5, 6, 7));
                *(ulong*)d = s.AsUInt64().ToScalar();
                return;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint PackToBytes(Vector128<int> v)
    {
        var w = Sse41.PackUnsignedSaturate(v, v).AsInt16();
        return Sse2.PackUnsignedSaturate(w, w).AsUInt32().ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Load4(byte* s) => Sse41.ConvertToVector128Int32(Vector128.CreateScalarUnsafe(*(uint*)s).AsByte());

    /// <summary>One pixel, any channel count, four channels at a time; <paramref name="e"/> is the neighbour with the largest address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlendByte(byte* a, byte* b, byte* c, byte* e, int C, int wx, int wy, byte* d, byte* sEnd, byte* dEnd)
    {
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
