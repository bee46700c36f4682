using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mirage.Kernels.Geometric;

// Vector helpers shared by the row kernels: double coordinates, clamps and interior tests (eight pixels AVX2, four
// pixels Vector128), and the compacting byte stores.
public static unsafe partial class WarpAffine
{
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
    // Kept separate from the eight-pixel helpers: two doubles per vector (lo/hi pairs), ints via the 2^52 trick.

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

    /// <summary>What the 128-bit row kernels keep in vector registers: the row's base coordinates, the matrix, the source's last row/column, its stride and channel count.</summary>
    private readonly struct Row128(double baseR, double baseC, in Plan p)
    {
        public readonly Vector128<double> BaseR = Vector128.Create(baseR), BaseC = Vector128.Create(baseC);
        public readonly Vector128<double> M01 = Vector128.Create(p.M01), M02 = Vector128.Create(p.M02);
        public readonly Vector128<double> M11 = Vector128.Create(p.M11), M12 = Vector128.Create(p.M12);
        public readonly Vector128<double> LastR = Vector128.Create((double)(p.SrcH - 1)), LastC = Vector128.Create((double)(p.SrcW - 1));
        public readonly Vector128<double> Stride = Vector128.Create((double)p.Stride), C = Vector128.Create((double)p.C);
    }

    // Kept separate from StoreCompact: AVX2 needs a cross-lane permute after the in-lane shuffle.
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

    // The shuffle masks below are written inline, not as static readonly fields: the hot kernels are compiled
    // fully optimized at their first call (AggressiveOptimization), and if this class's static constructor has not
    // run by then the JIT cannot fold a static readonly vector into a constant. It then reloads it through the class-init
    // helper and spills registers around it (BilinearSpanAvx2<Channels3>: 488-byte frame instead of 120), which made the
    // byte warp ≈ 13 % slower whenever no static field of WarpAffine happened to be touched first (docs/PERFORMANCE.md,
    // "The configuration object").
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
                var s = Avx2.PermuteVar8x32(Avx2.Shuffle(v, Vector256.Create(
                    (byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80,
                    0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80)).AsInt32(), Vector256.Create(0, 1, 2, 4, 5, 6, 3, 7)).AsByte();
                s.GetLower().Store(d);
                *(ulong*)(d + 16) = s.GetUpper().AsUInt64().ToScalar();
                return;
            }
            case 2:
                Avx2.Permute4x64(Avx2.Shuffle(v, Vector256.Create(
                    (byte)0, 1, 4, 5, 8, 9, 12, 13, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                    0, 1, 4, 5, 8, 9, 12, 13, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80)).AsUInt64(), 0b11_01_10_00).AsByte().GetLower().Store(d);
                return;
            default:
            {
                var s = Avx2.PermuteVar8x32(Avx2.Shuffle(v, Vector256.Create(
                    (byte)0, 4, 8, 12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                    0, 4, 8, 12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80)).AsInt32(), Vector256.Create(0, 4, 1, 2, 3, 5, 6, 7));
                *(ulong*)d = s.AsUInt64().ToScalar();
                return;
            }
        }
    }
}
