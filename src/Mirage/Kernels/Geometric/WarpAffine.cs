using Mirage.Generation;
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
public static unsafe partial class WarpAffine
{
    /// <summary>Rows of at most this many bytes are staged on the stack by <see cref="ApplyToFloat(Image{byte}, Span{float}, DataFormat, in AffineMatrix, in WarpOptions, ReadOnlySpan{float}, ReadOnlySpan{float})"/>.</summary>
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

    internal static void Apply(Image<float> src, Image<float> dst, in AffineMatrix m, in WarpOptions options, WarpPath path) =>
        Apply(src, dst, m, options, KernelSettings.For(path));

    /// <summary>The float warp with the path of <paramref name="settings"/> (a <see cref="MirageConfiguration"/>'s, read once by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Apply(Image<float> src, Image<float> dst, in AffineMatrix m, in WarpOptions options, in KernelSettings settings)
    {
        var plan = new Plan(src.Info, dst.Info, ReferenceEquals(src, dst), m, options, settings);
        fixed (float* ps = src.Span)
        fixed (float* pd = dst.Span)
        {
            float* dEnd = pd + plan.DstLen;
            for (int r = 0; r < dst.Height; r++) FloatRow(ps, pd + (long)r * plan.DstW * plan.C, dEnd, r, plan, options.Cval);
        }
    }

    internal static void Apply(Image<byte> src, Image<byte> dst, in AffineMatrix m, in WarpOptions options, bool vectorized) =>
        Apply(src, dst, m, options, vectorized ? WarpPath.Vector256 : WarpPath.Scalar);

    internal static void Apply(Image<byte> src, Image<byte> dst, in AffineMatrix m, in WarpOptions options, WarpPath path) =>
        Apply(src, dst, m, options, KernelSettings.For(path));

    /// <summary>The byte warp with the path, bands and tiles of <paramref name="settings"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Apply(Image<byte> src, Image<byte> dst, in AffineMatrix m, in WarpOptions options, in KernelSettings settings)
    {
        var plan = new Plan(src.Info, dst.Info, ReferenceEquals(src, dst), m, options, settings);
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
                Prefetch(ps, plan);
                byte* dEnd = pd + plan.DstLen;
                int rowBytes = plan.DstW * plan.C, bandRows = plan.BandRows;
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
    /// followed by <see cref="Normalize.ToFloat(Image{byte}, Span{float}, DataFormat, ReadOnlySpan{float}, ReadOnlySpan{float})"/>
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
    public static void ApplyToFloat(Image<byte> src, Span<float> dst, DataFormat layout, in AffineMatrix m, in WarpOptions options,
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
    public static void ApplyToFloat(Image<byte> src, Span<float> dst, int height, int width, DataFormat layout, in AffineMatrix m,
        in WarpOptions options, ReadOnlySpan<float> scale, ReadOnlySpan<float> offset) =>
        ApplyToFloat(src, dst, height, width, layout, m, options, scale, offset, vectorized: true);

    internal static void ApplyToFloat(Image<byte> src, Span<float> dst, int height, int width, DataFormat layout, in AffineMatrix m,
        in WarpOptions options, ReadOnlySpan<float> scale, ReadOnlySpan<float> offset, bool vectorized) =>
        ApplyToFloat(src, dst, height, width, layout, m, options, scale, offset, vectorized ? WarpPath.Vector256 : WarpPath.Scalar);

    internal static void ApplyToFloat(Image<byte> src, Span<float> dst, int height, int width, DataFormat layout, in AffineMatrix m,
        in WarpOptions options, ReadOnlySpan<float> scale, ReadOnlySpan<float> offset, WarpPath path) =>
        ApplyToFloat(src, dst, height, width, layout, m, options, scale, offset, KernelSettings.For(path));

    /// <summary>The fused warp with the path, bands and tiles of <paramref name="settings"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ApplyToFloat(Image<byte> src, Span<float> dst, int height, int width, DataFormat layout, in AffineMatrix m,
        in WarpOptions options, ReadOnlySpan<float> scale, ReadOnlySpan<float> offset, in KernelSettings settings)
    {
        var shape = ImageInfo.Create(height, width, src.Channels);
        if (dst.Length < shape.Length)
            throw new ArgumentException($"The destination holds {dst.Length} values but a {shape} output needs {shape.Length}.", nameof(dst));
        var plan = new Plan(src.Info, shape, false, m, options, settings);
        var rows = new Normalize.RowConverter(width, shape.Channels, scale, offset, settings.Vectorized);
        byte cval = ByteCval(options.Cval);
        int rowBytes = width * shape.Channels, plane = height * width;
        // A band of rows is warped into a staging buffer (on the stack when it fits), then converted while in L1.
        int bandRows = plan.BandRows;
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
                Prefetch(ps, plan);
                for (int r0 = 0; r0 < height; r0 += bandRows)
                {
                    int r1 = Math.Min(r0 + bandRows, height);
                    ByteBand(ps, prow, prow + bandBytes, rowBytes, r0, r1, plan, cval, tab);
                    for (int r = r0; r < r1; r++)
                    {
                        byte* b = prow + (long)(r - r0) * rowBytes;
                        if (layout == DataFormat.ChannelsLast) rows.ChannelsLast(b, pd + (long)r * rowBytes);
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
        /// <summary>The byte warp's rows per band (1..<see cref="MaxBandRows"/>) and columns per tile (0: whole rows), and
        /// whether a small source is prefetched: the caller's <see cref="KernelSettings"/>, read once here.</summary>
        public readonly int BandRows, TileWidth;
        public readonly bool PrefetchSource;

        public Plan(ImageInfo src, ImageInfo dst, bool sameImage, in AffineMatrix m, in WarpOptions o, in KernelSettings settings)
        {
            var path = settings.Path;
            BandRows = Math.Clamp(settings.BandRows, 1, MaxBandRows);
            TileWidth = Math.Max(0, settings.TileWidth);
            PrefetchSource = settings.PrefetchSource;
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
}
