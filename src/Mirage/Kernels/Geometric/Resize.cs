using System.Buffers;
using System.Runtime.CompilerServices;
using Mirage.Imaging;

namespace Mirage.Kernels.Geometric;

/// <summary>Keras's resize interpolation for target_size (Pillow's resampling filters).</summary>
public enum ResizeInterpolation
{
    /// <summary>Keras's default: Pillow's NEAREST (pixel-centre sampling, no antialiasing).</summary>
    Nearest,
    /// <summary>Keras <c>"bilinear"</c>: Pillow's BILINEAR, a triangle filter widened by the scale when shrinking
    /// (antialiased).</summary>
    Bilinear,
    /// <summary>Keras <c>"bicubic"</c>: Pillow's BICUBIC (a = −0.5), widened when shrinking.</summary>
    Bicubic,
    /// <summary>Keras <c>"lanczos"</c>: Pillow's LANCZOS (3 lobes), widened when shrinking.</summary>
    Lanczos,
    /// <summary>Keras <c>"box"</c>: Pillow's BOX, each output pixel the mean of the input pixels it covers.</summary>
    Box,
    /// <summary>Keras <c>"hamming"</c>: Pillow's HAMMING, widened when shrinking.</summary>
    Hamming,
}

/// <summary>A source region in pixels (left, top, right, bottom; right/bottom exclusive), Pillow's resize box.</summary>
/// <remarks>Column first, as Pillow's box, unlike <see cref="Geometry.BoundingBox"/> and Mirage's (height, width)
/// order elsewhere. Edges may be fractional.</remarks>
/// <param name="Left">First column, in pixels from the left edge; ≥ 0.</param>
/// <param name="Top">First row, in pixels from the top edge; ≥ 0.</param>
/// <param name="Right">End column (exclusive); ≤ the source width and ≥ <c>Left</c>.</param>
/// <param name="Bottom">End row (exclusive); ≤ the source height and ≥ <c>Top</c>.</param>
public readonly record struct ResizeBox(float Left, float Top, float Right, float Bottom)
{
    /// <summary>The whole image: (0, 0, width, height).</summary>
    /// <param name="height">Source height in pixels.</param>
    /// <param name="width">Source width in pixels.</param>
    public static ResizeBox Full(int height, int width) => new(0, 0, width, height);
}

/// <summary>
/// Resizes 8-bit images exactly as Pillow 9's <c>Image.resize(size, resample, box)</c> does: nearest through the
/// affine scale path, the other filters as separable convolutions (horizontal pass first, 22-bit fixed-point
/// coefficients, intermediate rounded to 8 bits). Four-channel (RGBA) and two-channel (LA) images are resized with
/// premultiplied alpha, as Pillow does for every filter but nearest.
/// </summary>
public static class Resize
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Resizes <paramref name="src"/> (or its <paramref name="box"/>) into <paramref name="dst"/>'s size.</summary>
    /// <param name="src">The source image; not modified.</param>
    /// <param name="dst">Receives the result at its own size; the channel count of <paramref name="src"/>; a different
    /// image.</param>
    /// <param name="interpolation">Pillow's resampling filter (Keras's interpolation argument of load_img).</param>
    /// <param name="box">The source region to resize, or null for the whole image.</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> has another channel count or is <paramref name="src"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="box"/> does not lie inside the source.</exception>
    public static void Apply(Image<byte> src, Image<byte> dst, ResizeInterpolation interpolation, ResizeBox? box = null)
    {
        if (src.Channels != dst.Channels)
            throw new ArgumentException($"Source has {src.Channels} channels but the destination has {dst.Channels}.", nameof(dst));
        if (ReferenceEquals(src, dst))
            throw new ArgumentException("The destination must be a different image from the source.", nameof(dst));
        var b = box ?? ResizeBox.Full(src.Height, src.Width);
        if (b.Left < 0 || b.Top < 0 || b.Right > src.Width || b.Bottom > src.Height || b.Right < b.Left || b.Bottom < b.Top)
            throw new ArgumentOutOfRangeException(nameof(box), b, $"The box must lie inside the {src.Width}x{src.Height} source.");

        bool full = b.Left == 0 && b.Top == 0 && b.Right == src.Width && b.Bottom == src.Height;
        if (full && src.Height == dst.Height && src.Width == dst.Width)
        {
            src.Span.CopyTo(dst.Span);
            return;
        }
        if (interpolation == ResizeInterpolation.Nearest)
        {
            Nearest(src, dst, b);
            return;
        }

        bool alpha = src.Channels is 2 or 4;
        Image<byte>? premultiplied = null;
        try
        {
            var input = src;
            if (alpha)
            {
                premultiplied = new Image<byte>(src.Info);
                Premultiply(src.Span, premultiplied.Span, src.Channels);
                input = premultiplied;
            }
            Convolve(input, dst, b, Filter.For(interpolation));
            if (alpha) Unpremultiply(dst.Span, dst.Channels);
        }
        finally
        {
            premultiplied?.Dispose();
        }
    }

    /// <summary>Returns a new image of <paramref name="height"/>×<paramref name="width"/>; with <paramref name="keepAspectRatio"/>,
    /// the largest centred region of the target's aspect ratio is resized (Keras's keep_aspect_ratio).</summary>
    /// <param name="src">The source image; not modified.</param>
    /// <param name="height">Target height in pixels; ≥ 1.</param>
    /// <param name="width">Target width in pixels; ≥ 1.</param>
    /// <param name="interpolation">Pillow's resampling filter.</param>
    /// <param name="keepAspectRatio">Crop to the target's aspect ratio first instead of stretching.</param>
    /// <returns>A new image the caller owns (and disposes).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="height"/> or <paramref name="width"/> is less than 1.</exception>
    public static Image<byte> To(Image<byte> src, int height, int width, ResizeInterpolation interpolation, bool keepAspectRatio = false)
    {
        var dst = Image<byte>.Uninitialized(ImageInfo.Create(height, width, src.Channels)); // Apply writes every byte
        try
        {
            Apply(src, dst, interpolation, keepAspectRatio ? CentreCropBox(src.Height, src.Width, height, width) : null);
            return dst;
        }
        catch
        {
            dst.Dispose();
            throw;
        }
    }

    /// <summary>Keras's keep_aspect_ratio crop: the largest centred box of the target's aspect ratio.</summary>
    /// <param name="srcHeight">Source height in pixels.</param>
    /// <param name="srcWidth">Source width in pixels.</param>
    /// <param name="targetHeight">Target height in pixels; ≥ 1.</param>
    /// <param name="targetWidth">Target width in pixels; ≥ 1.</param>
    /// <returns>A whole-pixel box; the leftover is split with the smaller half at the top/left.</returns>
    public static ResizeBox CentreCropBox(int srcHeight, int srcWidth, int targetHeight, int targetWidth)
    {
        int cropHeight = Math.Min(srcHeight, (int)((long)srcWidth * targetHeight / targetWidth));
        int cropWidth = Math.Min(srcWidth, (int)((long)srcHeight * targetWidth / targetHeight));
        int top = (srcHeight - cropHeight) / 2, left = (srcWidth - cropWidth) / 2;
        return new ResizeBox(left, top, left + cropWidth, top + cropHeight);
    }

    // Pillow's ImagingScaleAffine: positions accumulate in double, starting at box + scale / 2.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Nearest(Image<byte> src, Image<byte> dst, ResizeBox b)
    {
        int channels = src.Channels, outW = dst.Width, outH = dst.Height, stride = src.RowStride, outStride = dst.RowStride;
        double sx = (double)(b.Right - b.Left) / outW, sy = (double)(b.Bottom - b.Top) / outH;
        int[] offsets = ArrayPool<int>.Shared.Rent(outW);
        try
        {
            // Byte offset of each output column's source pixel in a row (non-decreasing in x).
            double xo = b.Left + sx * 0.5;
            for (int x = 0; x < outW; x++)
            {
                offsets[x] = Math.Clamp(Coord(xo), 0, src.Width - 1) * channels;
                xo += sx;
            }
            fixed (byte* ps = src.Span)
            fixed (byte* pd = dst.Span)
            fixed (int* xs = offsets)
            {
                double yo = b.Top + sy * 0.5;
                int previous = -1;
                for (int y = 0; y < outH; y++)
                {
                    int yi = Math.Clamp(Coord(yo), 0, src.Height - 1);
                    yo += sy;
                    byte* d = pd + (long)y * outStride;
                    if (yi == previous)
                    {
                        // Enlarging: the same source row again gives the same output row.
                        Buffer.MemoryCopy(d - outStride, d, outStride, outStride);
                        continue;
                    }
                    previous = yi;
                    // The last source row has no bytes after it in the image: no 4-byte reads past its last pixel there.
                    NearestRow(ps + (long)yi * stride, d, xs, outW, channels, yi == src.Height - 1 ? stride : int.MaxValue);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsets);
        }

        static int Coord(double v) => v < 0 ? -1 : (int)v;
    }

    /// <summary>
    /// One output row of <see cref="Nearest"/>: pixels copied as one 1-, 2- or 4-byte move each; 3-byte pixels as a
    /// 4-byte move whose extra byte the next pixel overwrites (the row's last pixel, and sources whose 4 bytes would
    /// pass <paramref name="readLimit"/>, byte by byte).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void NearestRow(byte* s, byte* d, int* xs, int outW, int channels, int readLimit)
    {
        int x = 0;
        switch (channels)
        {
            case 1:
                for (; x < outW; x++) d[x] = s[xs[x]];
                return;
            case 2:
                for (; x < outW; x++) *(ushort*)(d + 2 * x) = *(ushort*)(s + xs[x]);
                return;
            case 4:
                for (; x < outW; x++) *(uint*)(d + 4 * x) = *(uint*)(s + xs[x]);
                return;
            case 3:
                for (; x < outW - 1 && xs[x] + 4 <= readLimit; x++) Unsafe.WriteUnaligned(d + 3 * x, Unsafe.ReadUnaligned<uint>(s + xs[x]));
                break;
        }
        for (; x < outW; x++)
        {
            byte* p = s + xs[x], q = d + x * channels;
            for (int c = 0; c < channels; c++) q[c] = p[c];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Convolve(Image<byte> src, Image<byte> dst, ResizeBox b, Filter filter)
    {
        int channels = src.Channels, outW = dst.Width, outH = dst.Height;
        bool needHorizontal = outW != src.Width || b.Left != 0 || b.Right != outW;
        bool needVertical = outH != src.Height || b.Top != 0 || b.Bottom != outH;

        var vert = Coefficients.Compute(src.Height, b.Top, b.Bottom, outH, filter);
        int yFirst = vert.Bounds[0];
        int yLast = vert.Bounds[outH * 2 - 2] + vert.Bounds[outH * 2 - 1];

        byte[]? temp = null;
        try
        {
            ReadOnlySpan<byte> input = src.Span;
            int inStride = src.RowStride;
            if (needHorizontal)
            {
                var horiz = Coefficients.Compute(src.Width, b.Left, b.Right, outW, filter);
                for (int i = 0; i < outH; i++) vert.Bounds[i * 2] -= yFirst;
                int rows = yLast - yFirst, stride = outW * channels;
                temp = ArrayPool<byte>.Shared.Rent(Math.Max(1, rows * stride));
                for (int y = 0; y < rows; y++)
                {
                    var s = src.Row(y + yFirst);
                    var d = temp.AsSpan(y * stride, stride);
                    for (int x = 0; x < outW; x++)
                    {
                        int xmin = horiz.Bounds[x * 2], n = horiz.Bounds[x * 2 + 1];
                        var k = horiz.Fixed.AsSpan(x * horiz.KSize, n);
                        for (int c = 0; c < channels; c++)
                        {
                            int ss = 1 << (PrecisionBits - 1);
                            for (int i = 0; i < n; i++) ss += s[(xmin + i) * channels + c] * k[i];
                            d[x * channels + c] = Clip8(ss);
                        }
                    }
                }
                input = temp.AsSpan(0, rows * stride);
                inStride = stride;
            }
            if (needVertical)
            {
                var d = dst.Span;
                int stride = dst.RowStride;
                for (int y = 0; y < outH; y++)
                {
                    int ymin = vert.Bounds[y * 2], n = vert.Bounds[y * 2 + 1];
                    var k = vert.Fixed.AsSpan(y * vert.KSize, n);
                    var row = d.Slice(y * stride, stride);
                    for (int i = 0; i < stride; i++)
                    {
                        int ss = 1 << (PrecisionBits - 1);
                        for (int j = 0; j < n; j++) ss += input[(ymin + j) * inStride + i] * k[j];
                        row[i] = Clip8(ss);
                    }
                }
            }
            else
            {
                // Only the horizontal pass ran (or nothing did): its rows are the output.
                input.Slice(0, Math.Min(input.Length, dst.Length)).CopyTo(dst.Span);
            }
        }
        finally
        {
            if (temp is not null) ArrayPool<byte>.Shared.Return(temp);
        }
    }

    private static byte Clip8(int ss)
    {
        int v = ss >> PrecisionBits;
        return v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
    }

    // Pillow's RGBA -> RGBa: v * a / 255 with MULDIV255 rounding.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Premultiply(ReadOnlySpan<byte> src, Span<byte> dst, int channels)
    {
        for (int i = 0; i < src.Length; i += channels)
        {
            int a = src[i + channels - 1];
            for (int c = 0; c < channels - 1; c++)
            {
                int tmp = src[i + c] * a + 128;
                dst[i + c] = (byte)(((tmp >> 8) + tmp) >> 8);
            }
            dst[i + channels - 1] = (byte)a;
        }
    }

    // Pillow's RGBa -> RGBA: 255 * v / a, clipped; alpha 0 and 255 pass through.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Unpremultiply(Span<byte> data, int channels)
    {
        for (int i = 0; i < data.Length; i += channels)
        {
            int a = data[i + channels - 1];
            if (a is 0 or 255) continue;
            for (int c = 0; c < channels - 1; c++)
                data[i + c] = (byte)Math.Min(255, 255 * data[i + c] / a);
        }
    }

    private sealed class Coefficients
    {
        public required int KSize { get; init; }
        public required int[] Bounds { get; init; }
        public required int[] Fixed { get; init; }

        // Pillow's precompute_coeffs + normalize_coeffs_8bpc.
        public static Coefficients Compute(int inSize, float in0, float in1, int outSize, Filter filter)
        {
            double scale = (double)(in1 - in0) / outSize, filterScale = Math.Max(scale, 1.0);
            double support = filter.Support * filterScale;
            int ksize = (int)Math.Ceiling(support) * 2 + 1;
            var bounds = new int[outSize * 2];
            var fixedK = new int[outSize * ksize];
            Span<double> k = ksize <= 256 ? stackalloc double[ksize] : new double[ksize];
            for (int xx = 0; xx < outSize; xx++)
            {
                double center = in0 + (xx + 0.5) * scale, ww = 0, ss = 1.0 / filterScale;
                int xmin = Math.Max(0, (int)(center - support + 0.5));
                int xmax = Math.Min(inSize, (int)(center + support + 0.5)) - xmin;
                if (xmax < 0) xmax = 0;
                for (int x = 0; x < xmax; x++)
                {
                    double w = filter.Weight((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    ww += w;
                }
                for (int x = 0; x < xmax; x++)
                {
                    double v = ww != 0 ? k[x] / ww : k[x];
                    fixedK[xx * ksize + x] = v < 0 ? (int)(-0.5 + v * (1 << PrecisionBits)) : (int)(0.5 + v * (1 << PrecisionBits));
                }
                bounds[xx * 2] = xmin;
                bounds[xx * 2 + 1] = xmax;
            }
            return new Coefficients { KSize = ksize, Bounds = bounds, Fixed = fixedK };
        }
    }

    private readonly struct Filter
    {
        private readonly ResizeInterpolation _kind;
        public double Support { get; }

        private Filter(ResizeInterpolation kind, double support)
        {
            _kind = kind;
            Support = support;
        }

        public static Filter For(ResizeInterpolation kind) => kind switch
        {
            ResizeInterpolation.Box => new(kind, 0.5),
            ResizeInterpolation.Bilinear => new(kind, 1.0),
            ResizeInterpolation.Hamming => new(kind, 1.0),
            ResizeInterpolation.Bicubic => new(kind, 2.0),
            ResizeInterpolation.Lanczos => new(kind, 3.0),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a convolution filter."),
        };

        public double Weight(double x)
        {
            switch (_kind)
            {
                case ResizeInterpolation.Box:
                    return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
                case ResizeInterpolation.Bilinear:
                    x = Math.Abs(x);
                    return x < 1.0 ? 1.0 - x : 0.0;
                case ResizeInterpolation.Hamming:
                    x = Math.Abs(x);
                    if (x == 0.0) return 1.0;
                    if (x >= 1.0) return 0.0;
                    x *= Math.PI;
                    return Math.Sin(x) / x * (0.54f + 0.46f * Math.Cos(x));
                case ResizeInterpolation.Bicubic:
                    const double a = -0.5;
                    x = Math.Abs(x);
                    if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                    if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
                    return 0.0;
                default: // Lanczos: truncated sinc
                    return -3.0 <= x && x < 3.0 ? Sinc(x) * Sinc(x / 3) : 0.0;
            }
        }

        private static double Sinc(double x)
        {
            if (x == 0.0) return 1.0;
            x *= Math.PI;
            return Math.Sin(x) / x;
        }
    }
}
