using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mirage.Imaging;

namespace Mirage.Kernels.Geometric;

/// <summary>Mirror flips. <c>dst</c> may be <c>src</c> (in place). No allocation.</summary>
/// <remarks>
/// A row is mirrored as a sequence of pixels of sizeof(T)·C bytes: 3-byte pixels (RGB bytes) five at a time with one
/// SSSE3 byte shuffle, 4/8/16-byte pixels (RGBA bytes, one or two floats, four floats) with the runtime's vectorized
/// Span.Reverse, 12-byte pixels (RGB floats) with one 16-byte move each; anything else pixel by pixel. In place, the
/// row is first copied to a stack buffer (rows up to 16 KB) or mirrored by pixel swaps.
/// </remarks>
public static unsafe class Flip
{
    private const int StackRow = 16384;

    /// <summary>Left–right mirror (Keras's flip_horizontal: the column axis).</summary>
    /// <typeparam name="T">The value type (byte or float in practice).</typeparam>
    /// <param name="src">The image to mirror.</param>
    /// <param name="dst">Receives the mirror; the same shape as <paramref name="src"/>; may be <paramref name="src"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> has another shape.</exception>
    public static void Horizontal<T>(Image<T> src, Image<T> dst) where T : unmanaged => Horizontal(src, dst, vectorized: true);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Horizontal<T>(Image<T> src, Image<T> dst, bool vectorized) where T : unmanaged
    {
        RequireSameShape(src, dst);
        int width = src.Width, pixelBytes = sizeof(T) * src.Channels, rowBytes = width * pixelBytes;
        bool inPlace = ReferenceEquals(src, dst);
        Span<byte> tmp = inPlace && rowBytes <= StackRow ? stackalloc byte[StackRow] : default;
        for (int y = 0; y < src.Height; y++)
        {
            var d = MemoryMarshal.AsBytes(dst.Row(y));
            if (!inPlace)
            {
                MirrorRow(MemoryMarshal.AsBytes(src.Row(y)), d, width, pixelBytes, vectorized);
                continue;
            }
            if (rowBytes > StackRow)
            {
                SwapPixels(d, width, pixelBytes);
                continue;
            }
            d.CopyTo(tmp);
            MirrorRow(tmp[..rowBytes], d, width, pixelBytes, vectorized);
        }
    }

    /// <summary>d = s with its <paramref name="width"/> pixels of <paramref name="pixelBytes"/> in reverse order (s and d distinct).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MirrorRow(ReadOnlySpan<byte> s, Span<byte> d, int width, int pixelBytes, bool vectorized)
    {
        switch (pixelBytes)
        {
            case 1 when vectorized:
                s.CopyTo(d);
                d.Reverse();
                return;
            case 2 when vectorized:
                Reverse<ushort>(s, d);
                return;
            case 4 when vectorized:
                Reverse<uint>(s, d);
                return;
            case 8 when vectorized:
                Reverse<ulong>(s, d);
                return;
            case 16 when vectorized:
                Reverse<Vector128<byte>>(s, d);
                return;
        }
        fixed (byte* ps = s)
        fixed (byte* pd = d)
        {
            int j = 0;
            if (vectorized && pixelBytes == 3 && Ssse3.IsSupported)
            {
                // dst pixels j..j+4 are src pixels w−1−j .. w−5−j. Load 16 bytes that end at src pixel w−1−j (one byte
                // before the block), reverse the pixels into bytes 0..14; byte 15 spills onto dst pixel j+5, written next.
                var mask = Vector128.Create((byte)13, 14, 15, 10, 11, 12, 7, 8, 9, 4, 5, 6, 1, 2, 3, 0);
                for (; j + 6 <= width; j += 5)
                {
                    var v = Vector128.Load(ps + (width - 5 - j) * 3 - 1);
                    Ssse3.Shuffle(v, mask).Store(pd + j * 3);
                }
            }
            else if (vectorized && pixelBytes == 12)
            {
                // One 16-byte move per pixel; the 4 extra bytes land on dst pixel j+1, written next.
                for (j = 1; j + 1 < width; j++) Vector128.Load(ps + (width - 1 - j) * 12).Store(pd + j * 12);
                CopyPixel(ps + (width - 1) * 12, pd, 12);
                j = width - 1;
                if (j > 0) CopyPixel(ps, pd + j * 12, 12);
                return;
            }
            for (; j < width; j++) CopyPixel(ps + (width - 1 - j) * pixelBytes, pd + j * pixelBytes, pixelBytes);
        }
    }

    private static void Reverse<TUnit>(ReadOnlySpan<byte> s, Span<byte> d) where TUnit : unmanaged
    {
        s.CopyTo(d);
        MemoryMarshal.Cast<byte, TUnit>(d).Reverse();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPixel(byte* s, byte* d, int n) => Unsafe.CopyBlockUnaligned(d, s, (uint)n);

    /// <summary>In-place mirror of a row too long for the stack buffer: swap pixel x with pixel w−1−x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SwapPixels(Span<byte> row, int width, int pixelBytes)
    {
        Span<byte> one = stackalloc byte[Math.Min(pixelBytes, 1024)];
        for (int x = 0, xr = width - 1; x < xr; x++, xr--)
        {
            var a = row.Slice(x * pixelBytes, pixelBytes);
            var b = row.Slice(xr * pixelBytes, pixelBytes);
            if (pixelBytes <= one.Length)
            {
                a.CopyTo(one);
                b.CopyTo(a);
                one[..pixelBytes].CopyTo(b);
            }
            else
            {
                for (int k = 0; k < pixelBytes; k++) (a[k], b[k]) = (b[k], a[k]);
            }
        }
    }

    /// <summary>Top–bottom mirror (Keras's flip_vertical: the row axis).</summary>
    /// <typeparam name="T">The value type (byte or float in practice).</typeparam>
    /// <param name="src">The image to mirror.</param>
    /// <param name="dst">Receives the mirror; the same shape as <paramref name="src"/>; may be <paramref name="src"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> has another shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Vertical<T>(Image<T> src, Image<T> dst) where T : unmanaged
    {
        RequireSameShape(src, dst);
        int height = src.Height;
        if (ReferenceEquals(src, dst))
        {
            for (int y = 0, yr = height - 1; y < yr; y++, yr--) SwapRows(MemoryMarshal.AsBytes(src.Row(y)), MemoryMarshal.AsBytes(src.Row(yr)));
            return;
        }
        for (int y = 0; y < height; y++) src.Row(height - 1 - y).CopyTo(dst.Row(y));
    }

    /// <summary>Swaps two equal-length, non-overlapping rows through vector registers (no buffer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SwapRows(Span<byte> a, Span<byte> b)
    {
        int n = a.Length, i = 0;
        fixed (byte* pa = a)
        fixed (byte* pb = b)
        {
            for (; i + 32 <= n; i += 32)
            {
                var va = Vector256.Load(pa + i);
                Vector256.Load(pb + i).Store(pa + i);
                va.Store(pb + i);
            }
            for (; i + 8 <= n; i += 8) (*(ulong*)(pa + i), *(ulong*)(pb + i)) = (*(ulong*)(pb + i), *(ulong*)(pa + i));
            for (; i < n; i++) (pa[i], pb[i]) = (pb[i], pa[i]);
        }
    }

    private static void RequireSameShape<T>(Image<T> src, Image<T> dst) where T : unmanaged
    {
        if (!src.SameShape(dst))
            throw new ArgumentException($"Flip needs a destination of the source's shape {src.Info}, got {dst.Info}.", nameof(dst));
    }
}
