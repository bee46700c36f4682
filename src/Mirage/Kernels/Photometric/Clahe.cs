using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mirage.Imaging;

namespace Mirage.Kernels.Photometric;

/// <summary>
/// Contrast Limited Adaptive Histogram Equalization, step for step scikit-image 0.19's
/// <c>exposure.equalize_adapthist</c> (Debian python3-skimage), so outputs agree to float rounding:
/// <list type="number">
/// <item>the image goes to 16 bits (<c>img_as_uint</c>: rint(v · 65535)), is stretched to its own min..max over 14 bits
/// (rounded half to even) and binned by 1 + 16384 / nbins;</item>
/// <item>the image is reflect-padded so tiles of the kernel size start half a kernel before it; one histogram per tile
/// is clipped at max(⌊clip_limit · kh · kw⌋, 1) with scikit-image's redistribution loop and cumulated into a map;</item>
/// <item>each pixel blends the maps of its four nearest tiles (bilinear; every product rounded to float32 and summed in
/// float32, as numpy does) and is truncated to an integer; the result is stretched to [0, 1].</item>
/// </list>
/// One channel is equalized as a gray image. Three channels (RGB) go through HSV: the V channel is equalized and the
/// image converted back (scikit-image's <c>adapt_rgb(hsv_value)</c>). With four channels, alpha is copied through
/// (scikit-image drops it). Float input is computed in float32 like scikit-image on a float32 array; byte input in
/// float64 like scikit-image on uint8. Scratch memory is pooled; the caller supplies the destination.
/// </summary>
public static unsafe class Clahe
{
    /// <summary>scikit-image's NR_OF_GRAY: the 14-bit levels CLAHE maps between.</summary>
    public const int GrayLevels = 1 << 14;

    /// <summary>
    /// Equalizes <paramref name="src"/> (HWC, values in [0, <paramref name="valueRange"/>]) into <paramref name="dst"/>
    /// (same shape, values in [0, valueRange]); dst may be src. valueRange 255 gives exactly
    /// <c>equalize_adapthist(x / 255, ...) * 255</c> on a float32 array (Keras-style 0..255 images); 1 gives
    /// <c>equalize_adapthist(x)</c>. Values below 0 count as 0 (as scikit-image clips them); values above valueRange
    /// (or below −valueRange, or NaN) are an error, as in scikit-image.
    /// </summary>
    /// <param name="src">HWC values; 1 (gray), 3 (RGB) or 4 (RGBA) channels.</param>
    /// <param name="shape">The image's (H, W, C).</param>
    /// <param name="dst">Receives shape.Length values; may be <paramref name="src"/>'s memory.</param>
    /// <param name="p">clip_limit, kernel_size and nbins (scikit-image's arguments).</param>
    /// <param name="valueRange">The value that maps to 1: 1 for [0, 1] images, 255 for 0..255; finite and > 0.</param>
    /// <exception cref="ArgumentException">A span is too short, the channel count is not 1, 3 or 4, a parameter is
    /// invalid, <paramref name="valueRange"/> is not a finite number > 0, or a value lies outside the range.</exception>
    public static void Apply(ReadOnlySpan<float> src, ImageInfo shape, Span<float> dst, in ClaheParameters p, float valueRange = 1f) =>
        Apply(src, shape, dst, p, valueRange, vectorized: true);

    /// <summary>The same for whole images; dst may be src.</summary>
    /// <param name="src">1 (gray), 3 (RGB) or 4 (RGBA) channels, values in [0, <paramref name="valueRange"/>].</param>
    /// <param name="dst">Receives the result; the shape of <paramref name="src"/>; may be <paramref name="src"/>.</param>
    /// <param name="p">clip_limit, kernel_size and nbins.</param>
    /// <param name="valueRange">The value that maps to 1; finite and > 0.</param>
    /// <exception cref="ArgumentException">The shapes differ, the channel count is not 1, 3 or 4, a parameter is
    /// invalid, or a value lies outside the range.</exception>
    public static void Apply(Image<float> src, Image<float> dst, in ClaheParameters p, float valueRange = 1f)
    {
        CheckSameShape(src.Info, dst.Info);
        Apply(src.Span, src.Info, dst.Span, p, valueRange, vectorized: true);
    }

    /// <summary>Equalizes an 8-bit image (HWC) into floats in [0, 1], as scikit-image does for uint8 input.</summary>
    /// <param name="src">HWC bytes; 1, 3 or 4 channels.</param>
    /// <param name="shape">The image's (H, W, C).</param>
    /// <param name="dst">Receives shape.Length floats in [0, 1].</param>
    /// <param name="p">clip_limit, kernel_size and nbins.</param>
    /// <exception cref="ArgumentException">A span is too short, the channel count is not 1, 3 or 4, or a parameter is
    /// invalid.</exception>
    public static void Apply(ReadOnlySpan<byte> src, ImageInfo shape, Span<float> dst, in ClaheParameters p) =>
        Apply(src, shape, dst, p, vectorized: true);

    /// <summary>The same for whole images.</summary>
    /// <param name="src">1, 3 or 4 channels of bytes; not modified.</param>
    /// <param name="dst">Receives floats in [0, 1]; the shape of <paramref name="src"/>.</param>
    /// <param name="p">clip_limit, kernel_size and nbins.</param>
    /// <exception cref="ArgumentException">The shapes differ, the channel count is not 1, 3 or 4, or a parameter is
    /// invalid.</exception>
    public static void Apply(Image<byte> src, Image<float> dst, in ClaheParameters p)
    {
        CheckSameShape(src.Info, dst.Info);
        Apply(src.Span, src.Info, dst.Span, p, vectorized: true);
    }

    internal static void Apply(ReadOnlySpan<float> src, ImageInfo shape, Span<float> dst, in ClaheParameters p, float valueRange, bool vectorized)
    {
        if (!float.IsFinite(valueRange) || valueRange <= 0)
            throw new ArgumentException($"CLAHE: valueRange must be a finite number > 0 (1 for [0, 1] images, 255 for 0..255 ones); got {valueRange}.", nameof(valueRange));
        CheckSpans(src.Length, dst.Length, shape);
        fixed (float* ps = src)
        fixed (float* pd = dst)
            Run<float, FloatSource>(new FloatSource(ps, valueRange), shape, pd, p, valueRange, vectorized);
    }

    internal static void Apply(ReadOnlySpan<byte> src, ImageInfo shape, Span<float> dst, in ClaheParameters p, bool vectorized)
    {
        CheckSpans(src.Length, dst.Length, shape);
        fixed (byte* ps = src)
        fixed (float* pd = dst)
            Run<double, ByteSource>(new ByteSource(ps), shape, pd, p, 1f, vectorized);
    }

    /// <summary>Reads the source as scikit-image sees it after its float conversion (T = its computation type).</summary>
    private interface ISource<T>
    {
        /// <summary>Value i in [0, 1] (before clipping).</summary>
        T Normalized(long i);
        /// <summary>Value i on the output's scale (alpha is copied through with this).</summary>
        float PassThrough(long i);
    }

    private readonly struct FloatSource(float* p, float range) : ISource<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Normalized(long i) => p[i] / range; // numpy: float32 array / 255.0 stays float32
        public float PassThrough(long i) => p[i];
    }

    private readonly struct ByteSource(byte* p) : ISource<double>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Normalized(long i) => p[i] * (1.0 / 255); // img_as_float64: multiply by 1./imax_in
        public float PassThrough(long i) => p[i] / 255f;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T, TSource>(TSource src, ImageInfo shape, float* dst, in ClaheParameters p, float outScale, bool vectorized)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSource : struct, ISource<T>
    {
        p.Validate();
        int channels = shape.Channels;
        if (channels is not (1 or 3 or 4))
            throw new ArgumentException($"CLAHE takes 1 (gray), 3 (RGB) or 4 (RGBA) channels; the image has {channels}.");
        int h = shape.Height, w = shape.Width, n = h * w;
        var planeOwner = ArrayPool<ushort>.Shared.Rent(n);
        var resultOwner = channels == 1 ? null : ArrayPool<float>.Shared.Rent(n);
        try
        {
            // 1. img_as_uint: the gray value, or HSV's V = max(R, G, B), to 16 bits.
            fixed (ushort* plane = planeOwner)
            {
                for (long i = 0; i < n; i++)
                {
                    T v = channels == 1 ? src.Normalized(i)
                        : T.Max(T.Max(src.Normalized(i * channels), src.Normalized(i * channels + 1)), src.Normalized(i * channels + 2));
                    plane[i] = ToUInt16(v, i, w);
                }
            }

            // 2. CLAHE proper: 14-bit result levels (whole numbers) per pixel. Gray writes them straight into dst:
            //    the source has been read in full.
            var result = channels == 1 ? new Span<float>(dst, n) : resultOwner.AsSpan(0, n);
            Equalize(planeOwner.AsSpan(0, n), h, w, p, result, vectorized);

            // 3. rescale_intensity to [0, 1] in the input's float type, then back through HSV for colour.
            var (lo, hi) = PointOps.MinMax(result);
            T min = T.CreateTruncating(lo), range = T.CreateTruncating(hi - lo);
            fixed (float* res = result)
            {
                for (long i = 0; i < n; i++)
                {
                    T v = T.CreateTruncating(res[i]);
                    v = range == T.Zero ? T.Clamp(v, T.Zero, T.One) : (v - min) / range;
                    if (channels == 1)
                    {
                        dst[i] = float.CreateTruncating(v) * outScale;
                        continue;
                    }
                    long o = i * channels;
                    RgbToHsv(src.Normalized(o), src.Normalized(o + 1), src.Normalized(o + 2), out T hue, out T sat);
                    HsvToRgb(hue, sat, v, out T r, out T g, out T b);
                    float alpha = channels == 4 ? src.PassThrough(o + 3) : 0f; // read before dst (which may be src) is written
                    dst[o] = float.CreateTruncating(r) * outScale;
                    dst[o + 1] = float.CreateTruncating(g) * outScale;
                    dst[o + 2] = float.CreateTruncating(b) * outScale;
                    if (channels == 4) dst[o + 3] = alpha;
                }
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(planeOwner);
            if (resultOwner is not null) ArrayPool<float>.Shared.Return(resultOwner);
        }
    }

    /// <summary>img_as_uint for floats: rint(v · 65535) clipped, in T; scikit-image rejects values outside [−1, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort ToUInt16<T>(T v, long index, int width) where T : IFloatingPointIeee754<T>
    {
        if (!(v >= -T.One && v <= T.One))
            throw new ArgumentException(
                $"CLAHE: the value at row {index / width}, column {index % width} is {v} after scaling to [0, 1]; " +
                "the image must lie in [0, valueRange] (pass valueRange 255 for 0..255 images).");
        T u = T.Round(v * T.CreateTruncating(65535), MidpointRounding.ToEven);
        return u <= T.Zero ? (ushort)0 : ushort.CreateTruncating(u);
    }

    /// <summary>scikit-image's rgb2hsv for one pixel, hue and saturation only (V is the channel max).</summary>
    private static void RgbToHsv<T>(T r, T g, T b, out T hue, out T sat) where T : IFloatingPointIeee754<T>
    {
        T v = T.Max(T.Max(r, g), b);
        T delta = v - T.Min(T.Min(r, g), b);
        if (delta == T.Zero)
        {
            hue = sat = T.Zero;
            return;
        }
        sat = delta / v;
        // Blue's assignment comes last in scikit-image, so it wins ties, then green.
        T h = b == v ? T.CreateTruncating(4) + (r - g) / delta
            : g == v ? T.CreateTruncating(2) + (b - r) / delta
            : (g - b) / delta;
        h /= T.CreateTruncating(6);
        h %= T.One; // numpy's float modulo takes the divisor's sign
        if (h < T.Zero) h += T.One;
        hue = h;
    }

    /// <summary>scikit-image's hsv2rgb for one pixel.</summary>
    private static void HsvToRgb<T>(T hue, T sat, T v, out T r, out T g, out T b) where T : IFloatingPointIeee754<T>
    {
        T six = T.CreateTruncating(6);
        T hi = T.Floor(hue * six);
        T f = hue * six - hi;
        T p = v * (T.One - sat);
        T q = v * (T.One - f * sat);
        T t = v * (T.One - (T.One - f) * sat);
        switch (int.CreateTruncating(hi) % 6)
        {
            case 0: (r, g, b) = (v, t, p); break;
            case 1: (r, g, b) = (q, v, p); break;
            case 2: (r, g, b) = (p, v, t); break;
            case 3: (r, g, b) = (p, q, v); break;
            case 4: (r, g, b) = (t, p, v); break;
            default: (r, g, b) = (v, p, q); break;
        }
    }

    /// <summary>
    /// scikit-image's _clahe on a 2-D 16-bit plane (overwritten with the bins) into whole-number 14-bit levels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Equalize(Span<ushort> plane, int h, int w, in ClaheParameters p, Span<float> result, bool vectorized)
    {
        var (kh, kw) = p.KernelFor(h, w);
        long kernelPixels = (long)kh * kw;
        if (kernelPixels > int.MaxValue / 4)
            throw new ArgumentException($"CLAHE: kernel_size {kh}×{kw} is too large (at most {int.MaxValue / 4} pixels per tile).");
        int nbins = p.NBins, n = h * w;

        // rescale_intensity(image, out_range=(0, NR_OF_GRAY - 1)) rounded half to even, then binned.
        int lo = ushort.MaxValue, hi = 0;
        foreach (var u in plane)
        {
            lo = Math.Min(lo, u);
            hi = Math.Max(hi, u);
        }
        int binSize = 1 + GrayLevels / nbins;
        double span = hi - lo;
        int BinOf(int u) => (span == 0 ? Math.Min(u, GrayLevels - 1)
            : (int)Math.Round((u - lo) / span * (GrayLevels - 1), MidpointRounding.ToEven)) / binSize;
        if (hi - lo < n)
        {
            // A table over the values' range: one division per value rather than per pixel on large images.
            var table = ArrayPool<ushort>.Shared.Rent(hi - lo + 1);
            for (int u = lo; u <= hi; u++) table[u - lo] = (ushort)BinOf(u);
            for (int i = 0; i < n; i++) plane[i] = table[plane[i] - lo];
            ArrayPool<ushort>.Shared.Return(table);
        }
        else
            for (int i = 0; i < n; i++) plane[i] = (ushort)BinOf(plane[i]);

        // Tiles: the padded image is ⌈h/kh⌉ + 1 kernels tall, starting kh/2 rows before row 0; histograms come from the
        // ⌈h/kh⌉ tiles starting at row 0 (rows past the image are reflected).
        int th = (h + kh - 1) / kh, tw = (w + kw - 1) / kw, tiles = th * tw;
        var histOwner = ArrayPool<int>.Shared.Rent(tiles * nbins);
        var mapOwner = ArrayPool<double>.Shared.Rent(tiles * nbins);
        var colOwner = ArrayPool<int>.Shared.Rent(tw * kw);
        var weightOwner = ArrayPool<double>.Shared.Rent(2 * w);
        var offsetOwner = ArrayPool<int>.Shared.Rent(2 * w);
        try
        {
            var hist = histOwner.AsSpan(0, tiles * nbins);
            hist.Clear();
            var cols = colOwner.AsSpan(0, tw * kw);
            for (int x = 0; x < cols.Length; x++) cols[x] = Reflect(x, w);
            for (int ty = 0; ty < th; ty++)
                for (int r = 0; r < kh; r++)
                {
                    var row = plane.Slice(Reflect(ty * kh + r, h) * w, w);
                    for (int tx = 0; tx < tw; tx++)
                    {
                        var tileHist = hist.Slice((ty * tw + tx) * nbins, nbins);
                        foreach (int x in cols.Slice(tx * kw, kw)) tileHist[row[x]]++;
                    }
                }

            long clim = p.ClipLimit > 0 ? (long)Math.Max(p.ClipLimit * kernelPixels, 1) : kernelPixels;
            double toLevels = (GrayLevels - 1) / (double)kernelPixels;
            var maps = mapOwner.AsSpan(0, tiles * nbins);
            for (int t = 0; t < tiles; t++)
            {
                var tileHist = hist.Slice(t * nbins, nbins);
                ClipHistogram(tileHist, clim);
                // map_histogram: cumsum · (16383 / pixels), clipped at 16383, truncated.
                long cumulative = 0;
                for (int bin = 0; bin < nbins; bin++)
                {
                    cumulative += tileHist[bin];
                    maps[t * nbins + bin] = Math.Truncate(Math.Min(cumulative * toLevels, GrayLevels - 1));
                }
            }

            // Per column: weight of the right tile (c / kw) and of the left (1 − c / kw), and each tile's map offset.
            var colWeight = weightOwner.AsSpan(0, 2 * w);
            var colOffset = offsetOwner.AsSpan(0, 2 * w);
            for (int x = 0; x < w; x++)
            {
                int xp = x + kw / 2, block = xp / kw;
                double right = xp % kw / (double)kw;
                colWeight[x] = 1 - right;
                colWeight[w + x] = right;
                colOffset[x] = Math.Clamp(block - 1, 0, tw - 1) * nbins;
                colOffset[w + x] = Math.Clamp(block, 0, tw - 1) * nbins;
            }
            fixed (ushort* bins = plane)
            fixed (double* mapBase = maps)
            fixed (double* cw = colWeight)
            fixed (int* co = colOffset)
            fixed (float* res = result)
            {
                for (int y = 0; y < h; y++)
                {
                    int yp = y + kh / 2, block = yp / kh;
                    double below = yp % kh / (double)kh;
                    double* top = mapBase + (long)Math.Clamp(block - 1, 0, th - 1) * tw * nbins;
                    double* bottom = mapBase + (long)Math.Clamp(block, 0, th - 1) * tw * nbins;
                    InterpolateRow(bins + (long)y * w, res + (long)y * w, w, top, bottom, 1 - below, below, cw, cw + w, co, co + w, vectorized);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(histOwner);
            ArrayPool<double>.Shared.Return(mapOwner);
            ArrayPool<int>.Shared.Return(colOwner);
            ArrayPool<double>.Shared.Return(weightOwner);
            ArrayPool<int>.Shared.Return(offsetOwner);
        }
    }

    /// <summary>
    /// One output row: the four maps' values, each times (column weight · row weight) in float64 and rounded to float32,
    /// summed in float32 in numpy's edge order (top-left, top-right, bottom-left, bottom-right), then truncated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InterpolateRow(ushort* bins, float* res, int w, double* top, double* bottom, double rowTop, double rowBottom,
        double* colLeft, double* colRight, int* offLeft, int* offRight, bool vectorized)
    {
        int x = 0;
        if (vectorized && Avx2.IsSupported)
        {
            var vTop = Vector256.Create(rowTop);
            var vBottom = Vector256.Create(rowBottom);
            for (; x + 4 <= w; x += 4)
            {
                var b = Sse41.ConvertToVector128Int32(bins + x);
                var left = Sse2.Add(Sse2.LoadVector128(offLeft + x), b);
                var right = Sse2.Add(Sse2.LoadVector128(offRight + x), b);
                var cl = Avx.LoadVector256(colLeft + x);
                var cr = Avx.LoadVector256(colRight + x);
                var sum = Avx.ConvertToVector128Single(Avx.Multiply(Avx2.GatherVector256(top, left, 8), Avx.Multiply(cl, vTop)));
                sum = Sse.Add(sum, Avx.ConvertToVector128Single(Avx.Multiply(Avx2.GatherVector256(top, right, 8), Avx.Multiply(cr, vTop))));
                sum = Sse.Add(sum, Avx.ConvertToVector128Single(Avx.Multiply(Avx2.GatherVector256(bottom, left, 8), Avx.Multiply(cl, vBottom))));
                sum = Sse.Add(sum, Avx.ConvertToVector128Single(Avx.Multiply(Avx2.GatherVector256(bottom, right, 8), Avx.Multiply(cr, vBottom))));
                Sse.Store(res + x, Sse41.RoundToZero(sum));
            }
        }
        for (; x < w; x++)
        {
            int b = bins[x], l = offLeft[x] + b, r = offRight[x] + b;
            float sum = (float)(top[l] * (colLeft[x] * rowTop));
            sum += (float)(top[r] * (colRight[x] * rowTop));
            sum += (float)(bottom[l] * (colLeft[x] * rowBottom));
            sum += (float)(bottom[r] * (colRight[x] * rowBottom));
            res[x] = MathF.Truncate(sum);
        }
    }

    /// <summary>
    /// scikit-image's clip_histogram: clip at <paramref name="clim"/>, add the average excess to every bin below
    /// clim − average (bins that reach the band just under clim are set to clim), then hand out what is left one count
    /// at a time with its strided loop (which may overshoot; map_histogram clips).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ClipHistogram(Span<int> hist, long clim)
    {
        long excess = 0;
        for (int i = 0; i < hist.Length; i++)
            if (hist[i] > clim)
            {
                excess += hist[i] - clim;
                hist[i] = (int)clim;
            }
        long increment = excess / hist.Length, upper = clim - increment;
        for (int i = 0; i < hist.Length; i++)
            if (hist[i] < upper)
            {
                hist[i] += (int)increment;
                excess -= increment;
            }
        for (int i = 0; i < hist.Length; i++)
            if (hist[i] >= upper && hist[i] < clim)
            {
                excess += hist[i] - clim;
                hist[i] = (int)clim;
            }

        long under = 0;
        foreach (int v in hist)
            if (v < clim) under++;
        while (excess > 0)
        {
            long before = excess;
            for (int index = 0; index < hist.Length; index++)
            {
                long step = Math.Max(1, under / excess);
                for (long j = index; j < hist.Length; j += step)
                    if (hist[(int)j] < clim)
                    {
                        if (++hist[(int)j] == clim) under--;
                        excess--;
                    }
                if (excess <= 0) break;
            }
            if (before == excess) break;
        }
    }

    /// <summary>numpy's pad mode 'reflect' index for i ≥ 0 (period 2(n − 1); a single row or column repeats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Reflect(int i, int n)
    {
        if (i < n) return i;
        if (n == 1) return 0;
        int m = i % (2 * (n - 1));
        return m < n ? m : 2 * (n - 1) - m;
    }

    private static void CheckSpans(int srcLength, int dstLength, ImageInfo shape)
    {
        if (srcLength < shape.Length) throw new ArgumentException($"The source holds {srcLength} values but a {shape} image needs {shape.Length}.");
        if (dstLength < shape.Length) throw new ArgumentException($"The destination holds {dstLength} values but a {shape} image needs {shape.Length}.");
    }

    private static void CheckSameShape(ImageInfo src, ImageInfo dst)
    {
        if (src != dst) throw new ArgumentException($"CLAHE writes an image of the source's shape {src}; the destination is {dst}.");
    }
}
