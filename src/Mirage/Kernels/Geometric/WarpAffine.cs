using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Photometric;

namespace Mirage.Kernels.Geometric;

/// <summary>Which code the warp may take (tests and benchmarks force the narrower ones).</summary>
internal enum WarpPath
{
    /// <summary>Scalar code only.</summary>
    Scalar,
    /// <summary>The 128-bit paths, the byte bilinear kernel with the portable blend (widen to 32 bits, multiply): what ARM64 and x86 without SSSE3 run.</summary>
    Vector128Portable,
    /// <summary>The 128-bit paths, the byte bilinear blend with SSSE3 pshufb + pmaddwd where available (else the portable one).</summary>
    Vector128,
    /// <summary>The widest available: AVX2 when supported, else the 128-bit paths where Vector128 is accelerated, else scalar.</summary>
    Vector256,
}

/// <summary>
/// One-pass affine resampling: dst(r, c) = src(m · (r, c)), with scipy.ndimage.affine_transform's semantics
/// (scipy 1.10, orders 0 and 1, no prefilter). The destination may differ in height and width from the source
/// (scipy's output_shape) but must have its channel count, and must not be the source.
/// </summary>
/// <remarks>
/// <para>Floats and order-0 bytes: source coordinates are computed in double exactly as scipy 1.10 does
/// ((r·m0 + c·m1) + offset), so every pixel picks the same neighbours as scipy (order 0 ties included). Float blends are
/// summed in double as scipy sums them, so the float path is scipy's result rounded once to float.</para>
/// <para>Bilinear bytes are only required to stay within 1 of the float path, and trade exactness for speed: a pixel's
/// coordinate is Fix(r·m00 + m02) + tab[c] in 16.16 fixed point, where tab[c] = Fix(c·m01) is computed once per image
/// (one add per pixel, at most 2^-16 pixel of error); the coordinate is clamped to [0, n − 1] with the pair
/// (min(floor, n − 2), +1), and the four neighbours are blended with 14-bit 2-D weights that sum to One
/// (<see cref="FixedPixel"/>). Fill 'nearest' is that clamp, so every pixel of every row takes this kernel. Other fill
/// modes take it on each row's interior span — the columns whose double coordinate lies in [0, n − 1] on both axes,
/// found by solving the row's line and correcting the ends exactly — and give the rest cval ('constant', a memset), the
/// same blend on scipy's extended grid ('reflect' and periodic 'wrap', <see cref="ExtendedPixel"/>; in vectors, below) or, for
/// KerasCompatible's legacy wrap (which jumps at each period), scipy's rules on the double coordinate
/// (<see cref="BytePixel"/>, 11-bit separable weights). Rows go in bands of 8: borders row by row, then the kernel over
/// the band's interior spans in tiles of 64 columns, so that a rotated footprint stays in L1 (<see cref="ByteBand"/>).</para>
/// <para>Vector paths (AVX2). Bilinear bytes, up to 4 channels, eight pixels per step: coordinates, clamps, offsets
/// (pmaddwd of (column, row) with (C, stride)) and weights in vector registers, then per pair of pixels two 16-byte loads
/// (top pair, bottom pair) into the two 128-bit lanes, pshufb to 16-bit (a, b) channel pairs, pmaddwd against (w00, w01)
/// and (w10, w11), round, pack, compact to C bytes per pixel. Same integers as <see cref="FixedPixel"/>. Order-0 bytes
/// use one 32-bit gather per eight pixels; floats compute indices and weights eight at a time and blend each pixel's
/// channels four at a time in double; with fill modes other than 'nearest' both send chunks that touch the border to
/// the per-pixel path. Without AVX2, 128-bit paths, four pixels per step, cross-platform Vector128 except one blend:
/// bilinear bytes compute coordinates and weights in vectors and blend with SSSE3 pshufb + pmaddwd on x86,
/// widen-and-multiply elsewhere (e.g. ARM64); order-0 bytes compute the double coordinates, indices and offsets in
/// vectors and copy each pixel with scalar loads (<see cref="NearestRow128"/>); floats compute indices and weights in
/// double vectors and blend each pixel's channels as pairs of doubles (<see cref="FloatRow128"/>). As with AVX2, chunks
/// that touch the border under fill modes other than 'nearest' take the per-pixel path. All compute the same numbers.</para>
/// <para>Border pixels of bilinear bytes under 'reflect' and periodic 'wrap' (<see cref="ExtendedSpan"/>): coordinates,
/// indices, weights and the folds onto the image (branch-free for indices within one period of it) eight at a time with
/// AVX2, four with Vector128; up to 4 channels the blend is vector too (AVX2: four 32-bit gathers, per channel pshufb to
/// (a, b) pairs and pmaddwd; Vector128: scalar 4-byte loads, channels widened to 32 bits); 5 channels, and steps whose
/// 4-byte loads could run past the source, blend per pixel from the stored offsets and weights (<see cref="BlendExtended"/>).
/// Steps with an index more than a period away, and tails, take <see cref="ExtendedPixel"/>. All give its bytes.</para>
/// </remarks>
public static unsafe class WarpAffine
{
    /// <summary>Fractional bits of the separable weights of the per-pixel byte path (<see cref="BytePixel"/>: borders of reflect/wrap, degenerate images).</summary>
    internal const int WeightBits = 11;
    private const int One = 1 << WeightBits;
    private const int Shift2 = 2 * WeightBits;
    private const int Round2 = 1 << (Shift2 - 1);
    /// <summary>Rows of at most this many bytes are staged on the stack by <see cref="ApplyToFloat(Image{byte}, Span{float}, DataLayout, in AffineMatrix, in WarpOptions, ReadOnlySpan{float}, ReadOnlySpan{float})"/>.</summary>
    private const int StackRowBytes = 16384;
    /// <summary>Coordinate tables of at most this many ints (output width ≤ 2048) live on the stack.</summary>
    private const int StackTableInts = 4096;

    /// <summary>Warps a float image: dst(r, c) = src(m · (r, c)), scipy.ndimage.affine_transform (orders 0 and 1) rounded
    /// once to float.</summary>
    /// <param name="src">The source image; not modified.</param>
    /// <param name="dst">Receives the warp at its own height and width (scipy's output_shape); the source's channel count;
    /// a different image.</param>
    /// <param name="m">Output (row, col) → input (row, col) position sampled; see <see cref="AffineMatrix"/>.</param>
    /// <param name="options">Interpolation order, fill mode, cval and the Keras-compatibility switch.</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is <paramref name="src"/> or has another channel count, or
    /// <paramref name="m"/> has a NaN or infinite entry.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The interpolation is neither nearest nor bilinear.</exception>
    public static void Apply(Image<float> src, Image<float> dst, in AffineMatrix m, in WarpOptions options) =>
        Apply(src, dst, m, options, vectorized: true);

    /// <summary>Warps a byte image: dst(r, c) = src(m · (r, c)). Order 0 picks scipy's pixels exactly; bilinear is
    /// fixed-point and within 1 of the float path.</summary>
    /// <param name="src">The source image; not modified.</param>
    /// <param name="dst">Receives the warp at its own height and width; the source's channel count; a different image.</param>
    /// <param name="m">Output (row, col) → input (row, col) position sampled.</param>
    /// <param name="options">Interpolation order, fill mode, cval (rounded half to even and clipped to 0..255) and the
    /// Keras-compatibility switch.</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is <paramref name="src"/> or has another channel count, or
    /// <paramref name="m"/> has a NaN or infinite entry.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The interpolation is neither nearest nor bilinear.</exception>
    public static void Apply(Image<byte> src, Image<byte> dst, in AffineMatrix m, in WarpOptions options) =>
        Apply(src, dst, m, options, vectorized: true);

    /// <summary>Tests pass <paramref name="vectorized"/> = false to check the scalar path against the vector path.</summary>
    internal static void Apply(Image<float> src, Image<float> dst, in AffineMatrix m, in WarpOptions options, bool vectorized) =>
        Apply(src, dst, m, options, vectorized ? WarpPath.Vector256 : WarpPath.Scalar);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Apply(Image<float> src, Image<float> dst, in AffineMatrix m, in WarpOptions options, WarpPath path)
    {
        var plan = new Plan(src.Info, dst.Info, ReferenceEquals(src, dst), m, options, path);
        fixed (float* ps = src.Span)
        fixed (float* pd = dst.Span)
        {
            float* dEnd = pd + plan.DstLen;
            for (int r = 0; r < dst.Height; r++) FloatRow(ps, pd + (long)r * plan.DstW * plan.C, dEnd, r, plan, options.Cval);
        }
    }

    internal static void Apply(Image<byte> src, Image<byte> dst, in AffineMatrix m, in WarpOptions options, bool vectorized) =>
        Apply(src, dst, m, options, vectorized ? WarpPath.Vector256 : WarpPath.Scalar);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Apply(Image<byte> src, Image<byte> dst, in AffineMatrix m, in WarpOptions options, WarpPath path)
    {
        var plan = new Plan(src.Info, dst.Info, ReferenceEquals(src, dst), m, options, path);
        byte cval = ByteCval(options.Cval);
        int tabLen = plan.Fixed ? 2 * plan.DstW : 0;
        int[]? rentedTab = tabLen > StackTableInts ? ArrayPool<int>.Shared.Rent(tabLen) : null;
        Span<int> tabSpan = rentedTab is null ? stackalloc int[tabLen] : rentedTab;
        try
        {
            fixed (byte* ps = src.Span)
            fixed (byte* pd = dst.Span)
            fixed (int* tab = tabSpan)
            {
                if (plan.Fixed) FillTables(tab, plan);
                Prefetch(ps, plan.SrcLen);
                byte* dEnd = pd + plan.DstLen;
                int rowBytes = plan.DstW * plan.C, bandRows = Math.Clamp(BandRows, 1, MaxBandRows);
                for (int r = 0; r < dst.Height; r += bandRows)
                    ByteBand(ps, pd + (long)r * rowBytes, dEnd, rowBytes, r, Math.Min(r + bandRows, dst.Height), plan, cval, tab);
            }
        }
        finally
        {
            if (rentedTab is not null) ArrayPool<int>.Shared.Return(rentedTab);
        }
    }

    /// <summary>
    /// Warps a byte image and writes it as floats in one pass: dst = (float)warped · scale[c] + offset[c], in
    /// <paramref name="layout"/>, the source's height and width. Equals <see cref="Apply(Image{byte}, Image{byte}, in AffineMatrix, in WarpOptions)"/>
    /// followed by <see cref="Normalize.ToFloat(Image{byte}, Span{float}, DataLayout, ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    /// bit for bit; each warped row is converted while it is still in L1. <paramref name="scale"/> and
    /// <paramref name="offset"/> hold one value per channel or one for all.
    /// </summary>
    /// <param name="src">The source image; not modified.</param>
    /// <param name="dst">Receives src.Height × src.Width × channels floats (a batch slot); values past that are untouched.</param>
    /// <param name="layout">Channels-last (HWC) or channels-first (CHW) output.</param>
    /// <param name="m">Output (row, col) → input (row, col) position sampled.</param>
    /// <param name="options">Interpolation order, fill mode, cval (applied in bytes, before scale/offset) and the
    /// Keras-compatibility switch.</param>
    /// <param name="scale">1 or C multipliers, e.g. 1/255.</param>
    /// <param name="offset">1 or C addends, e.g. −mean/std.</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is too short, <paramref name="scale"/> or
    /// <paramref name="offset"/> has neither 1 nor C values, or <paramref name="m"/> has a non-finite entry.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The interpolation is neither nearest nor bilinear.</exception>
    public static void ApplyToFloat(Image<byte> src, Span<float> dst, DataLayout layout, in AffineMatrix m, in WarpOptions options,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> offset) =>
        ApplyToFloat(src, dst, src.Height, src.Width, layout, m, options, scale, offset, vectorized: true);

    /// <summary>The same with an output of <paramref name="height"/> × <paramref name="width"/> (scipy's output_shape).</summary>
    /// <param name="src">The source image; not modified.</param>
    /// <param name="dst">Receives height × width × channels floats; values past that are untouched.</param>
    /// <param name="height">Output height in pixels; ≥ 1.</param>
    /// <param name="width">Output width in pixels; ≥ 1.</param>
    /// <param name="layout">Channels-last (HWC) or channels-first (CHW) output.</param>
    /// <param name="m">Output (row, col) → input (row, col) position sampled.</param>
    /// <param name="options">Interpolation order, fill mode, cval and the Keras-compatibility switch.</param>
    /// <param name="scale">1 or C multipliers.</param>
    /// <param name="offset">1 or C addends.</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is too short, <paramref name="scale"/> or
    /// <paramref name="offset"/> has neither 1 nor C values, or <paramref name="m"/> has a non-finite entry.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="height"/> or <paramref name="width"/> is less than 1,
    /// or the interpolation is neither nearest nor bilinear.</exception>
    public static void ApplyToFloat(Image<byte> src, Span<float> dst, int height, int width, DataLayout layout, in AffineMatrix m,
        in WarpOptions options, ReadOnlySpan<float> scale, ReadOnlySpan<float> offset) =>
        ApplyToFloat(src, dst, height, width, layout, m, options, scale, offset, vectorized: true);

    internal static void ApplyToFloat(Image<byte> src, Span<float> dst, int height, int width, DataLayout layout, in AffineMatrix m,
        in WarpOptions options, ReadOnlySpan<float> scale, ReadOnlySpan<float> offset, bool vectorized) =>
        ApplyToFloat(src, dst, height, width, layout, m, options, scale, offset, vectorized ? WarpPath.Vector256 : WarpPath.Scalar);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ApplyToFloat(Image<byte> src, Span<float> dst, int height, int width, DataLayout layout, in AffineMatrix m,
        in WarpOptions options, ReadOnlySpan<float> scale, ReadOnlySpan<float> offset, WarpPath path)
    {
        var shape = ImageInfo.Create(height, width, src.Channels);
        if (dst.Length < shape.Length)
            throw new ArgumentException($"The destination holds {dst.Length} values but a {shape} output needs {shape.Length}.", nameof(dst));
        var plan = new Plan(src.Info, shape, false, m, options, path);
        var rows = new Normalize.RowConverter(width, shape.Channels, scale, offset, path != WarpPath.Scalar);
        byte cval = ByteCval(options.Cval);
        int rowBytes = width * shape.Channels, plane = height * width;
        // A band of rows is warped into a staging buffer (on the stack when it fits), then converted while in L1.
        int bandRows = Math.Clamp(BandRows, 1, MaxBandRows);
        if (rowBytes * bandRows > StackRowBytes) bandRows = Math.Max(1, StackRowBytes / rowBytes);
        int bandBytes = rowBytes * bandRows;
        byte[]? rented = bandBytes > StackRowBytes ? ArrayPool<byte>.Shared.Rent(bandBytes) : null;
        Span<byte> row = rented ?? stackalloc byte[StackRowBytes];
        int tabLen = plan.Fixed ? 2 * plan.DstW : 0;
        int[]? rentedTab = tabLen > StackTableInts ? ArrayPool<int>.Shared.Rent(tabLen) : null;
        Span<int> tabSpan = rentedTab is null ? stackalloc int[tabLen] : rentedTab;
        try
        {
            fixed (byte* ps = src.Span)
            fixed (byte* prow = row)
            fixed (float* pd = dst)
            fixed (int* tab = tabSpan)
            {
                if (plan.Fixed) FillTables(tab, plan);
                Prefetch(ps, plan.SrcLen);
                for (int r0 = 0; r0 < height; r0 += bandRows)
                {
                    int r1 = Math.Min(r0 + bandRows, height);
                    ByteBand(ps, prow, prow + bandBytes, rowBytes, r0, r1, plan, cval, tab);
                    for (int r = r0; r < r1; r++)
                    {
                        byte* b = prow + (long)(r - r0) * rowBytes;
                        if (layout == DataLayout.ChannelsLast) rows.ChannelsLast(b, pd + (long)r * rowBytes);
                        else rows.ChannelsFirst(b, pd + (long)r * width, plane);
                    }
                }
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
            if (rentedTab is not null) ArrayPool<int>.Shared.Return(rentedTab);
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
        /// <summary>The 128-bit double-coordinate path (order-0 bytes, floats), where <see cref="Vector"/> (AVX2) is not taken.</summary>
        public readonly bool Vector128Double;
        public readonly double M00, M01, M02, M10, M11, M12;
        /// <summary>Bilinear bytes in fixed point (<see cref="FixedPixel"/>): images of 2..32767 rows and columns, moderate column steps.</summary>
        public readonly bool Fixed, FixedVector;
        /// <summary>The 128-bit fixed-point kernel (<see cref="BilinearSpan128{TBlend}"/>), and whether it blends with SSSE3 + pmaddwd.</summary>
        public readonly bool FixedVector128, Blend128Ssse3;
        /// <summary>Border pixels of 'reflect' and periodic 'wrap' in vectors (<see cref="ExtendedSpan"/>): AVX2, else 128-bit.</summary>
        public readonly bool ExtendedAvx2, Extended128;
        /// <summary>Fix((DstW − 1)·m01) and Fix((DstW − 1)·m11): the coordinate tables' last entries, in full.</summary>
        public readonly long EndR, EndC;
        public readonly Vector256<byte> WordMask;
        public readonly Vector128<byte> WordMask128;

        public Plan(ImageInfo src, ImageInfo dst, bool sameImage, in AffineMatrix m, in WarpOptions o, WarpPath path)
        {
            bool vectorized = path == WarpPath.Vector256;
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
            bool sane = Math.Abs(M00) <= Sane && Math.Abs(M01) <= Sane && Math.Abs(M02) <= Sane &&
                        Math.Abs(M10) <= Sane && Math.Abs(M11) <= Sane && Math.Abs(M12) <= Sane;
            Vector = vectorized && Avx2.IsSupported && sane;
            Vector128Double = !Vector && path != WarpPath.Scalar && Vector128.IsHardwareAccelerated && sane;
            Fixed = Linear && SrcH is >= 2 and <= 32767 && SrcW is >= 2 and <= 32767 &&
                    Math.Abs(M01) * (DstW - 1) <= FixLimit && Math.Abs(M11) * (DstW - 1) <= FixLimit;
            EndR = Fixed ? Fix((DstW - 1) * M01) : 0;
            EndC = Fixed ? Fix((DstW - 1) * M11) : 0;
            FixedVector = Fixed && vectorized && Avx2.IsSupported && C <= 4;
            WordMask = FixedVector ? WordPairMask(C) : default;
            FixedVector128 = Fixed && !FixedVector && path != WarpPath.Scalar && Vector128.IsHardwareAccelerated && C <= 4;
            Blend128Ssse3 = FixedVector128 && path != WarpPath.Vector128Portable && Ssse3.IsSupported;
            WordMask128 = Blend128Ssse3 ? WordPairMask(C).GetLower() : default;
            ExtendedAvx2 = Fixed && vectorized && Avx2.IsSupported;
            Extended128 = Fixed && !ExtendedAvx2 && path != WarpPath.Scalar && Vector128.IsHardwareAccelerated;
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

    // ---------------------------------------------------------------- four pixels' coordinates, 128-bit

    /// <summary>2^52: adding it to an integer-valued double in [0, 2^31) puts the integer in the low 32 bits of its bits.</summary>
    private const double IntMagic = 4503599627370496.0;

    /// <summary>Four source coordinates along one axis, scipy's (base + x·m1) + m2: lanes x, x + 1 (lo) and x + 2, x + 3 (hi).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Coords4(Vector128<double> b, Vector128<double> m1, Vector128<double> m2, Vector128<double> xs,
        out Vector128<double> lo, out Vector128<double> hi)
    {
        lo = (b + xs * m1) + m2;
        hi = (b + (xs + Vector128.Create(2.0)) * m1) + m2;
    }

    /// <summary>
    /// Four integer-valued doubles in [0, 2^31) as ints, with no float-to-int instruction (x86 without AVX-512 has
    /// none for 64-bit lanes): exact, see <see cref="IntMagic"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> ToInt4(Vector128<double> lo, Vector128<double> hi)
    {
        var magic = Vector128.Create(IntMagic);
        return Vector128.Narrow((lo + magic).AsInt64(), (hi + magic).AsInt64());
    }

    /// <summary>Clamps to [0, last] in double, so far-away coordinates cannot overflow an int; a no-op inside.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Clamp128(Vector128<double> v, Vector128<double> last) =>
        Vector128.MinNative(Vector128.MaxNative(v, Vector128<double>.Zero), last);

    /// <summary>Order 0 along one axis: clamp(floor(c + 0.5), 0, n − 1), as <see cref="NearestIndex"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> NearestIndex128(Vector128<double> c, Vector128<double> last) =>
        Clamp128(Vector128.Floor(c + Vector128.Create(0.5)), last);

    /// <summary>True when all four sources are interior, as <see cref="Inside"/> (limits n − 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Inside4(Vector128<double> srLo, Vector128<double> srHi, Vector128<double> scLo, Vector128<double> scHi,
        Vector128<double> limR, Vector128<double> limC, bool linear)
    {
        var zero = Vector128<double>.Zero;
        var ge = Vector128.GreaterThanOrEqual(srLo, zero) & Vector128.GreaterThanOrEqual(srHi, zero) &
                 Vector128.GreaterThanOrEqual(scLo, zero) & Vector128.GreaterThanOrEqual(scHi, zero);
        var le = linear
            ? Vector128.LessThan(srLo, limR) & Vector128.LessThan(srHi, limR) & Vector128.LessThan(scLo, limC) & Vector128.LessThan(scHi, limC)
            : Vector128.LessThanOrEqual(srLo, limR) & Vector128.LessThanOrEqual(srHi, limR) &
              Vector128.LessThanOrEqual(scLo, limC) & Vector128.LessThanOrEqual(scHi, limC);
        return (ge & le).ExtractMostSignificantBits() == 0b11;
    }

    // ---------------------------------------------------------------- float

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

    /// <summary>What the 128-bit row kernels keep in vector registers: the row's base coordinates, the matrix, the source's last row/column, its stride and channel count.</summary>
    private readonly struct Row128(double baseR, double baseC, in Plan p)
    {
        public readonly Vector128<double> BaseR = Vector128.Create(baseR), BaseC = Vector128.Create(baseC);
        public readonly Vector128<double> M01 = Vector128.Create(p.M01), M02 = Vector128.Create(p.M02);
        public readonly Vector128<double> M11 = Vector128.Create(p.M11), M12 = Vector128.Create(p.M12);
        public readonly Vector128<double> LastR = Vector128.Create((double)(p.SrcH - 1)), LastC = Vector128.Create((double)(p.SrcW - 1));
        public readonly Vector128<double> Stride = Vector128.Create((double)p.Stride), C = Vector128.Create((double)p.C);
    }

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

    // ---------------------------------------------------------------- byte

    /// <summary>Fractional bits of the byte path's fixed-point source coordinates (bilinear).</summary>
    internal const int FixBits = 16;
    private const double FixScale = 1 << FixBits;
    /// <summary>Coordinates (pixels) up to which the fixed-point path is used; beyond, the per-pixel double path.</summary>
    private const double FixLimit = 1 << 20;
    /// <summary>Bits of the byte path's 2-D bilinear weights (w00 + w01 + w10 + w11 = 1 &lt;&lt; BilinearBits).</summary>
    internal const int BilinearBits = 14;
    private const int BOne = 1 << BilinearBits;
    private const int BRound = 1 << (BilinearBits - 1);

    /// <summary>A coordinate in fixed point (16 fractional bits), rounded to nearest.</summary>
    private static long Fix(double v) => (long)Math.Round(v * FixScale);

    /// <summary>
    /// Per-image tables of the column term of the source coordinates in fixed point: tab[x] = Fix(x·m01) (rows) and
    /// tab[W + x] = Fix(x·m11) (columns), low 32 bits. A pixel's coordinate is Fix(r·m00 + m02) + tab[x]: one add per pixel,
    /// no accumulated error (at most one unit of 2^-16 pixel from each rounding).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillTables(int* tab, in Plan p)
    {
        for (int x = 0; x < p.DstW; x++)
        {
            tab[x] = (int)Fix(x * p.M01);
            tab[p.DstW + x] = (int)Fix(x * p.M11);
        }
    }

    private static bool FitsInt(long v) => v >= int.MinValue && v <= int.MaxValue;

    /// <summary>
    /// Output rows per band of <see cref="ByteBand"/> and columns per tile (0: whole rows). 8 × 64 was the best of the
    /// sizes tried; against whole rows, interleaved in one process: 224² 5–20 % faster under load but ≈ 5 % slower on a
    /// quiet machine, 1024² ≈ 15 % faster quiet and within noise under load. Settable by tests and benchmarks only; the
    /// results do not depend on them.
    /// </summary>
    internal static int BandRows = 8, TileWidth = 64;

    /// <summary>Sources up to this size are prefetched whole before the warp (<see cref="Prefetch"/>); larger ones would evict each other from L2.</summary>
    private const int PrefetchLimit = 256 * 1024;
    /// <summary>Benchmarks switch the prefetch off to measure it; the results do not depend on it.</summary>
    internal static bool PrefetchSource = true;

    /// <summary>
    /// Asks for the whole source in cache, line by line in address order, before the warp reads it. A rotated warp walks
    /// the source diagonally, which the hardware prefetchers do not follow: on a source that is not in cache (e.g.
    /// cycling through many in-memory images) most of its loads missed to DRAM one by one; a sequential sweep streams
    /// it in at memory bandwidth. Measured on a 224×224×3 source cycling through 256 images: ≈ 1.9× the rate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Prefetch(byte* ps, int length)
    {
        if (!PrefetchSource || !Sse.IsSupported || length > PrefetchLimit) return;
        for (nint i = 0; i < length; i += 64) Sse.Prefetch0(ps + i);
    }
    private const int MaxBandRows = 32;

    /// <summary>
    /// Rows [r0, r1) of the byte warp, row i at <paramref name="band"/> + i·rowBytes. Each row's borders are done first
    /// (<see cref="ByteRow"/>), then the fixed-point kernel runs over the band's interior spans tile by tile: a rotated
    /// row walks diagonally through the source, a band × tile footprint stays in L1. Same results in any order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ByteBand(byte* ps, byte* band, byte* dEnd, int rowBytes, int r0, int r1, in Plan p, byte cval, int* tab)
    {
        int* spans = stackalloc int[4 * MaxBandRows];
        int n = r1 - r0, W = p.DstW;
        for (int i = 0; i < n; i++) ByteRow(ps, band + (long)i * rowBytes, dEnd, r0 + i, p, cval, tab, spans + 4 * i);
        int tile = TileWidth > 0 ? TileWidth : W;
        for (int x1 = tile; ; x1 += tile)
        {
            for (int i = 0; i < n; i++)
            {
                int* s = spans + 4 * i;
                if (s[0] >= s[1] || s[0] >= x1) continue;
                // Up to the tile's end, in pieces of at least 8 columns when the span has them (no short scalar tails).
                int e = Math.Min(s[1], Math.Max(x1, s[0] + 8));
                if (s[1] - e < 8) e = s[1];
                BilinearSpan(ps, band + (long)i * rowBytes, s[0], e, s[2], s[3], tab, p);
                s[0] = e;
            }
            if (x1 >= W) break;
        }
    }

    /// <summary>
    /// One row of the byte warp except its fixed-point interior, which it returns in <paramref name="span"/>: columns
    /// [span[0], span[1]) with row coordinates span[2] (rows) and span[3] (columns) for <see cref="BilinearSpan"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ByteRow(byte* ps, byte* drow, byte* dEnd, int r, in Plan p, byte cval, int* tab, int* span)
    {
        span[0] = span[1] = 0;
        if (!p.Fixed)
        {
            ByteRowDouble(ps, drow, dEnd, r, p, cval);
            return;
        }
        int W = p.DstW, C = p.C;
        double baseR = r * p.M00, baseC = r * p.M10;
        double vr = baseR + p.M02, vc = baseC + p.M12;
        if (!(Math.Abs(vr) <= FixLimit && Math.Abs(vc) <= FixLimit))
        {
            for (int x = 0; x < W; x++) BytePixel(ps, drow, x, baseR, baseC, p, cval);
            return;
        }
        long r0 = Fix(vr), c0 = Fix(vc);
        span[2] = (int)r0;
        span[3] = (int)c0;
        // Every fixed-point coordinate of the row fits an int (the coordinates are monotonic: check the ends).
        bool fits = FitsInt(r0) && FitsInt(r0 + p.EndR) && FitsInt(c0) && FitsInt(c0 + p.EndC);
        // Fill mode 'nearest' is a clamp of the coordinate, which the fixed-point kernel does: the whole row takes it.
        if (p.Mode == WarpBoundary.Mode.Nearest && fits)
        {
            span[1] = W;
            return;
        }
        // Other modes (or far-away rows): the span of columns whose source lies in [0, n − 1] on both axes (scipy's
        // double coordinate, so exactly the pixels scipy interpolates inside the image) takes the kernel; the rest
        // is cval ('constant') or the per-pixel boundary rules.
        int a = 0, e = W;
        AxisSpan(baseR, p.M01, p.M02, p.SrcH, ref a, ref e);
        AxisSpan(baseC, p.M11, p.M12, p.SrcW, ref a, ref e);
        if (a >= e) a = e = W;
        if (p.Mode == WarpBoundary.Mode.Constant)
        {
            new Span<byte>(drow, a * C).Fill(cval);
            new Span<byte>(drow + e * C, (W - e) * C).Fill(cval);
        }
        else if (fits && p.Mode is WarpBoundary.Mode.Reflect or WarpBoundary.Mode.GridWrap)
        {
            bool reflect = p.Mode == WarpBoundary.Mode.Reflect;
            ExtendedSpan(ps, drow, 0, a, (int)r0, (int)c0, tab, reflect, p);
            ExtendedSpan(ps, drow, e, W, (int)r0, (int)c0, tab, reflect, p);
        }
        else
        {
            // scipy's legacy wrap (period n − 1) jumps at every period: kept on the exact double coordinate.
            for (int x = 0; x < a; x++) BytePixel(ps, drow, x, baseR, baseC, p, cval);
            for (int x = e; x < W; x++) BytePixel(ps, drow, x, baseR, baseC, p, cval);
        }
        if (a < e)
        {
            span[0] = a;
            span[1] = e;
        }
    }

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

    /// <summary>Stores the first C of each of four pixels' 4 bytes: exactly 4·C bytes, nothing past them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreCompact128(byte* d, Vector128<byte> v, int C)
    {
        switch (C)
        {
            case 4:
                v.Store(d);
                return;
            case 3:
            {
                var s = Vector128.Shuffle(v, Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80)).AsUInt32();
                *(ulong*)d = s.AsUInt64().ToScalar();
                *(uint*)(d + 8) = s.GetElement(2);
                return;
            }
            case 2:
                *(ulong*)d = Vector128.Shuffle(v, Vector128.Create((byte)0, 1, 4, 5, 8, 9, 12, 13, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80)).AsUInt64().ToScalar();
                return;
            default:
                *(uint*)d = Vector128.Shuffle(v, Vector128.Create((byte)0, 4, 8, 12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80)).AsUInt32().ToScalar();
                return;
        }
    }

    /// <summary>Byte rows the fixed-point path does not take: order 0 (exact double coordinates, for scipy's ties) and bilinear on degenerate images.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ByteRowDouble(byte* ps, byte* drow, byte* dEnd, int r, in Plan p, byte cval)
    {
        double baseR = r * p.M00, baseC = r * p.M10;
        byte* sEnd = ps + p.SrcLen;
        int C = p.C, x = 0;
        if (p.Vector && !p.Linear)
        {
            int* offs = stackalloc int[8];
            bool clampAll = p.Mode == WarpBoundary.Mode.Nearest;
            // A 4-byte gather needs the pixel plus slack of 4 bytes.
            bool fast = C <= 4 && p.SrcLen >= 8;
            var vStride = Vector256.Create(p.Stride);
            var vC = Vector256.Create(C);
            var gatherLimit = Vector256.Create(p.SrcLen - 4);
            var bR = Vector256.Create(baseR);
            var bC = Vector256.Create(baseC);
            var m01 = Vector256.Create(p.M01);
            var m02 = Vector256.Create(p.M02);
            var m11 = Vector256.Create(p.M11);
            var m12 = Vector256.Create(p.M12);
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
        else if (p.Vector128Double && !p.Linear)
        {
            x = NearestRow128(ps, drow, dEnd, baseR, baseC, p, cval);
        }
        for (; x < p.DstW; x++) BytePixel(ps, drow, x, baseR, baseC, p, cval);
    }

    /// <summary>
    /// Order-0 bytes with 128-bit vectors, four pixels per step: scipy's coordinates, the clamped floor(c + 0.5) and the
    /// byte offsets in double (all integers below 2^31, so exact), then each pixel's C bytes copied. With fill modes
    /// other than 'nearest', steps that touch the border go to <see cref="BytePixel"/>. Returns the first column not done.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int NearestRow128(byte* ps, byte* drow, byte* dEnd, double baseR, double baseC, in Plan p, byte cval)
    {
        int C = p.C, x = 0;
        byte* sEnd = ps + p.SrcLen;
        bool clampAll = p.Mode == WarpBoundary.Mode.Nearest, small = C <= 4;
        // A 4-byte copy reads up to 3 bytes past its pixel.
        var srcLimit = Vector128.Create(p.SrcLen - 4);
        var v = new Row128(baseR, baseC, p);
        var xs = Vector128.Create(0.0, 1.0);
        for (; x + 4 <= p.DstW; x += 4, xs += Vector128.Create(4.0))
        {
            Coords4(v.BaseR, v.M01, v.M02, xs, out var srLo, out var srHi);
            Coords4(v.BaseC, v.M11, v.M12, xs, out var scLo, out var scHi);
            if (!clampAll && !Inside4(srLo, srHi, scLo, scHi, v.LastR, v.LastC, linear: false))
            {
                for (int i = 0; i < 4; i++) BytePixel(ps, drow, x + i, baseR, baseC, p, cval);
                continue;
            }
            var off = ToInt4(NearestIndex128(srLo, v.LastR) * v.Stride + NearestIndex128(scLo, v.LastC) * v.C,
                             NearestIndex128(srHi, v.LastR) * v.Stride + NearestIndex128(scHi, v.LastC) * v.C);
            byte* d = drow + x * C;
            // In ascending order: each 4-byte store's spill into the next pixel is overwritten by that pixel.
            if (small && !Vector128.GreaterThanAny(off, srcLimit) && d + 3 * C + 4 <= dEnd)
            {
                *(uint*)d = *(uint*)(ps + off.ToScalar());
                *(uint*)(d + C) = *(uint*)(ps + off.GetElement(1));
                *(uint*)(d + 2 * C) = *(uint*)(ps + off.GetElement(2));
                *(uint*)(d + 3 * C) = *(uint*)(ps + off.GetElement(3));
                continue;
            }
            for (int i = 0; i < 4; i++) CopyByte(ps + off.GetElement(i), C, d + i * C, sEnd, dEnd);
        }
        return x;
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
    private static void CopyByte(byte* s, int C, byte* d, byte* sEnd, byte* dEnd)
    {
        int k = 0;
        for (; k + 4 <= C || (k < C && s + k + 4 <= sEnd && d + k + 4 <= dEnd); k += 4) *(uint*)(d + k) = *(uint*)(s + k);
        for (; k < C; k++) d[k] = s[k];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
