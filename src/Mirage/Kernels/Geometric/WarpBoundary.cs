namespace Mirage.Kernels.Geometric;

/// <summary>
/// Per-axis boundary handling of <see cref="WarpAffine"/>, transcribed from scipy 1.10's ni_interpolation.c
/// (map_coordinate, then the neighbour indices mapped with the "spline mode"). Checked against scipy itself.
/// </summary>
internal static class WarpBoundary
{
    /// <summary>scipy's boundary modes as the warp needs them; GridWrap is the true periodic wrap.</summary>
    internal enum Mode { Nearest, Constant, Reflect, Wrap, GridWrap }

    internal static Mode From(FillMode fill, bool kerasCompatible) => fill switch
    {
        FillMode.Nearest => Mode.Nearest,
        FillMode.Constant => Mode.Constant,
        FillMode.Reflect => Mode.Reflect,
        FillMode.Wrap => kerasCompatible ? Mode.Wrap : Mode.GridWrap,
        _ => throw new ArgumentOutOfRangeException(nameof(fill), fill, "Unknown fill mode."),
    };

    /// <summary>
    /// Order 1 along one axis: the two neighbour indices and the weight t of the second one, or false when scipy
    /// uses cval ('constant' does no interpolation beyond the edges: anything outside [0, n − 1] is cval).
    /// </summary>
    internal static bool Linear(double c, int n, Mode mode, out int i0, out int i1, out double t)
    {
        double cc;
        if (mode == Mode.Nearest)
        {
            // scipy clamps each neighbour index but keeps the weights of the unclamped coordinate.
            double f = Math.Floor(c);
            t = c - f;
            i0 = f < 0 ? 0 : f > n - 1 ? n - 1 : (int)f;
            i1 = f + 1 < 0 ? 0 : f + 1 > n - 1 ? n - 1 : (int)f + 1;
            return true;
        }
        if (mode == Mode.Constant)
        {
            if (!(c >= 0 && c <= n - 1)) { i0 = i1 = 0; t = 0; return false; }
            cc = c;
        }
        else
        {
            cc = Fold(c, n, mode);
            if (!(cc > -1.0)) { i0 = i1 = 0; t = 0; return false; }
        }
        double start = Math.Floor(cc);
        t = cc - start;
        long s = (long)start;
        i0 = Index(s, n, mode);
        i1 = Index(s + 1, n, mode);
        return true;
    }

    /// <summary>Order 0 along one axis: floor(c + 0.5) (halves round up), mapped like scipy, or false for cval.</summary>
    internal static bool Nearest(double c, int n, Mode mode, out int i)
    {
        double cc;
        if (mode == Mode.Nearest) cc = c < -1 ? -1 : c > n ? n : c;
        else if (mode == Mode.Constant)
        {
            if (!(c >= 0 && c <= n - 1)) { i = 0; return false; }
            cc = c;
        }
        else
        {
            cc = Fold(c, n, mode);
            if (!(cc > -1.0)) { i = 0; return false; }
        }
        i = Index((long)Math.Floor(cc + 0.5), n, mode);
        return true;
    }

    /// <summary>scipy's map_coordinate: brings an outside coordinate back in (integer divisions truncate, as in C).</summary>
    internal static double Fold(double c, int n, Mode mode)
    {
        if (c < 0)
        {
            if (n <= 1) return 0;
            switch (mode)
            {
                case Mode.Reflect:
                {
                    long sz2 = 2L * n;
                    if (c < -sz2) c = sz2 * (long)(-c / sz2) + c;
                    // scipy's guard so that -c - 1 never rounds to exactly -1 (which would mean cval)
                    return c < -n ? c + sz2 : (c > -1e-15 ? 1e-15 : -c) - 1;
                }
                case Mode.Wrap:
                {
                    long sz = n - 1;
                    return c + sz * ((long)(-c / sz) + 1);
                }
                case Mode.GridWrap:
                    return c + n * ((long)((-1 - c) / n) + 1);
            }
        }
        else if (c > n - 1)
        {
            if (n <= 1) return 0;
            switch (mode)
            {
                case Mode.Reflect:
                {
                    long sz2 = 2L * n;
                    c -= sz2 * (long)(c / sz2);
                    return c >= n ? sz2 - c - 1 : c;
                }
                case Mode.Wrap:
                {
                    long sz = n - 1;
                    return c - sz * (long)(c / sz);
                }
                case Mode.GridWrap:
                    return c - n * (long)(c / n);
            }
        }
        return c;
    }

    /// <summary>
    /// Where a neighbour index outside 0..n−1 reads from: scipy's spline mode, which is mirror (period 2n − 2)
    /// for 'constant' and legacy 'wrap', and the mode itself otherwise.
    /// </summary>
    internal static int Index(long idx, int n, Mode mode)
    {
        if ((ulong)idx < (ulong)n) return (int)idx;
        if (n <= 1) return 0;
        switch (mode)
        {
            case Mode.Nearest:
                return idx < 0 ? 0 : n - 1;
            case Mode.Reflect:
            {
                long sz2 = 2L * n;
                if (idx < 0)
                {
                    if (idx < -sz2) idx = sz2 * (-idx / sz2) + idx;
                    return (int)(idx < -n ? idx + sz2 : -idx - 1);
                }
                idx -= sz2 * (idx / sz2);
                return (int)(idx >= n ? sz2 - idx - 1 : idx);
            }
            case Mode.GridWrap:
            {
                long r = idx % n;
                return (int)(r < 0 ? r + n : r);
            }
            default: // mirror
            {
                long s2 = 2L * n - 2;
                if (idx < 0)
                {
                    idx = s2 * (-idx / s2) + idx;
                    return (int)(idx <= 1 - n ? idx + s2 : -idx);
                }
                idx -= s2 * (idx / s2);
                return (int)(idx >= n ? s2 - idx : idx);
            }
        }
    }
}
