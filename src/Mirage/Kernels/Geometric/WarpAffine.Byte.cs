using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mirage.Kernels.Geometric;

// Byte warps: fixed-point constants and tables, source prefetch, bands and rows (border/interior split), order-0 rows
// (AVX2 gather, 128-bit) and the per-pixel double path.
public static unsafe partial class WarpAffine
{
    /// <summary>Fractional bits of the byte path's fixed-point source coordinates (bilinear).</summary>
    internal const int FixBits = 16;
    private const double FixScale = 1 << FixBits;
    /// <summary>Coordinates (pixels) up to which the fixed-point path is used; beyond, the per-pixel double path.</summary>
    private const double FixLimit = 1 << 20;
    /// <summary>Bits of the byte path's 2-D bilinear weights (w00 + w01 + w10 + w11 = 1 &lt;&lt; BilinearBits).</summary>
    internal const int BilinearBits = 14;
    private const int BOne = 1 << BilinearBits;
    private const int BRound = 1 << (BilinearBits - 1);

    /// <summary>Fractional bits of the separable weights of the per-pixel byte path (<see cref="BytePixel"/>: borders of reflect/wrap, degenerate images).</summary>
    internal const int WeightBits = 11;
    private const int One = 1 << WeightBits;
    private const int Shift2 = 2 * WeightBits;
    private const int Round2 = 1 << (Shift2 - 1);
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

    // Output rows per band of ByteBand and columns per tile (0: whole rows) come from the caller's KernelSettings
    // (MirageConfiguration.WarpBandRows/WarpTileWidth, 8 × 64 by default). 8 × 64 was the best of the sizes tried;
    // against whole rows, interleaved in one process: 224² 5–20 % faster under load but ≈ 5 % slower on a quiet machine,
    // 1024² ≈ 15 % faster quiet and within noise under load. The results do not depend on them.

    /// <summary>Sources up to this size are prefetched whole before the warp (<see cref="Prefetch"/>); larger ones would evict each other from L2.</summary>
    private const int PrefetchLimit = 256 * 1024;
    /// <summary>
    /// Asks for the whole source in cache, line by line in address order, before the warp reads it. A rotated warp walks
    /// the source diagonally, which the hardware prefetchers do not follow: on a source that is not in cache (e.g.
    /// cycling through many in-memory images) most of its loads missed to DRAM one by one; a sequential sweep streams
    /// it in at memory bandwidth. Measured on a 224×224×3 source cycling through 256 images: ≈ 1.9× the rate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Prefetch(byte* ps, in Plan p)
    {
        int length = p.SrcLen;
        if (!p.PrefetchSource || !Sse.IsSupported || length > PrefetchLimit) return;
        for (nint i = 0; i < length; i += 64) Sse.Prefetch0(ps + i);
    }
    /// <summary>The most rows a band may have (<see cref="MirageConfiguration.WarpBandRows"/>'s upper limit).</summary>
    internal const int MaxBandRows = 32;

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
        int tile = p.TileWidth > 0 ? p.TileWidth : W;
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

    // Kept separate from ByteRowDouble's AVX2 loop: one 32-bit gather + compaction there, four scalar 4-byte copies here.
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
