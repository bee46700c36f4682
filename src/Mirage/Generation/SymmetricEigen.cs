using System.Numerics;
using System.Runtime.InteropServices;

namespace Mirage.Generation;

/// <summary>
/// Eigendecomposition of a real symmetric matrix in double: Householder tridiagonalisation then implicit QL
/// (EISPACK's tred2/tql2, as in JAMA). The matrix is processed in transposed storage so every inner loop walks a
/// row (contiguous), and the QL rotations are recorded and applied in column blocks several sweeps at a time, so a
/// D×D matrix larger than the cache is not streamed from memory once per rotation sweep.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>
    /// Decomposes the symmetric <paramref name="n"/>×<paramref name="n"/> row-major <paramref name="matrix"/> in place.
    /// On return row k of <paramref name="matrix"/> is the unit eigenvector of <paramref name="eigenvalues"/>[k];
    /// eigenvalues are in ascending order. Only symmetry is assumed (no definiteness).
    /// </summary>
    /// <param name="matrix">n × n values, row-major; only symmetry is assumed. Overwritten with the eigenvectors (one
    /// per row).</param>
    /// <param name="n">The order of the matrix; at least 1.</param>
    /// <param name="eigenvalues">Receives the n eigenvalues, ascending; at least n long.</param>
    /// <remarks>Used by ZCA whitening (zca_whitening), where Keras takes scipy's SVD of the covariance; for a symmetric
    /// positive semi-definite matrix both give the same basis up to the sign of each vector.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> or <paramref name="eigenvalues"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> holds fewer than n × n values or
    /// <paramref name="eigenvalues"/> fewer than n.</exception>
    /// <exception cref="MirageException">The matrix holds NaN or an infinity, or the QL iteration did not converge.</exception>
    public static void Decompose(double[] matrix, int n, double[] eigenvalues)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(eigenvalues);
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "The matrix needs at least one row.");
        if (matrix.LongLength < (long)n * n) throw new ArgumentException($"The matrix holds {matrix.LongLength} values, fewer than {n}×{n}.", nameof(matrix));
        if (eigenvalues.Length < n) throw new ArgumentException($"Room for {n} eigenvalues is needed.", nameof(eigenvalues));
        // NaN would make every convergence test false and run the QL search past the last row.
        for (long i = 0; i < (long)n * n; i++)
            if (!double.IsFinite(matrix[i]))
                throw new MirageException($"The symmetric eigensolver cannot decompose a matrix holding {matrix[i]} (row {i / n}, column {i % n}); the covariance probably holds NaN or infinite values.");

        var e = new double[n];
        // W is Vᵀ of the textbook algorithm: symmetric input means W = V at the start, and V[a][b] is read as W[b][a].
        Tred2(matrix, n, eigenvalues, e);
        Tql2(matrix, n, eigenvalues, e);
        SortAscending(matrix, n, eigenvalues);
    }

    private static Span<double> Row(double[] w, int n, int r, int start, int length) => w.AsSpan(r * n + start, length);

    private static void Tred2(double[] w, int n, double[] d, double[] e)
    {
        for (int j = 0; j < n; j++) d[j] = w[j * n + n - 1];

        for (int i = n - 1; i > 0; i--)
        {
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++) scale += Math.Abs(d[k]);
            if (scale == 0)
            {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++)
                {
                    d[j] = w[j * n + i - 1];
                    w[j * n + i] = 0;
                    w[i * n + j] = 0;
                }
            }
            else
            {
                for (int k = 0; k < i; k++)
                {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = Math.Sqrt(h);
                if (f > 0) g = -g;
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                Array.Clear(e, 0, i);

                // e = A·d over the active upper triangle (row j, columns j..i-1), fused with the scatter to e[k].
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    w[i * n + j] = f;
                    g = e[j] + w[j * n + j] * f;
                    if (j + 1 < i)
                        g += DotAndAxpy(Row(w, n, j, j + 1, i - j - 1), d.AsSpan(j + 1, i - j - 1), f, e.AsSpan(j + 1, i - j - 1));
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++)
                {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    Rank2(Row(w, n, j, j, i - j), f, e.AsSpan(j, i - j), g, d.AsSpan(j, i - j));
                    d[j] = w[j * n + i - 1];
                    w[j * n + i] = 0;
                }
            }
            d[i] = h;
        }

        // Accumulate the Householder reflections. Rows j ≤ i are independent of each other, so split them over cores.
        var dk = new double[n];
        for (int i = 0; i < n - 1; i++)
        {
            w[i * n + n - 1] = w[i * n + i];
            w[i * n + i] = 1;
            double h = d[i + 1];
            if (h != 0)
            {
                int len = i + 1;
                for (int k = 0; k <= i; k++) dk[k] = w[(i + 1) * n + k] / h;
                int row = i + 1;
                void Update(int j)
                {
                    var wj = Row(w, n, j, 0, len);
                    double g = Dot(Row(w, n, row, 0, len), wj);
                    Axpy(-g, dk.AsSpan(0, len), wj);
                }
                if ((long)len * len < 64 * 1024)
                    for (int j = 0; j <= i; j++) Update(j);
                else
                    Parallel.For(0, (len + 63) / 64, blk =>
                    {
                        int end = Math.Min(len, (blk + 1) * 64);
                        for (int j = blk * 64; j < end; j++) Update(j);
                    });
            }
            Row(w, n, i + 1, 0, i + 1).Clear();
        }
        for (int j = 0; j < n; j++)
        {
            d[j] = w[j * n + n - 1];
            w[j * n + n - 1] = 0;
        }
        w[(n - 1) * n + n - 1] = 1;
        e[0] = 0;
    }

    private static void Tql2(double[] w, int n, double[] d, double[] e)
    {
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;

        var rotations = new RotationLog(w, n);
        double f = 0, tst1 = 0, eps = Math.Pow(2, -52);
        for (int l = 0; l < n; l++)
        {
            tst1 = Math.Max(tst1, Math.Abs(d[l]) + Math.Abs(e[l]));
            int m = l;
            while (m < n)
            {
                if (Math.Abs(e[m]) <= eps * tst1) break;
                m++;
            }
            if (m > l)
            {
                int iter = 0;
                do
                {
                    if (++iter > 60)
                        throw new MirageException($"The symmetric eigensolver did not converge (eigenvalue {l} of {n}); the covariance probably holds NaN or infinite values.");
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;

                    p = d[m];
                    double c = 1, c2 = c, c3 = c;
                    double el1 = e[l + 1];
                    double s = 0, s2 = 0;
                    int offset = rotations.Begin(l, m);
                    double[] cs = rotations.C, ss = rotations.S;
                    for (int i = m - 1; i >= l; i--)
                    {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        cs[offset + i - l] = c; // deferred: rows i and i+1 of W are rotated in RotationLog.Flush
                        ss[offset + i - l] = s;
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.Abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
        rotations.Flush();
    }

    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a), y = Math.Abs(b);
        if (x < y) (x, y) = (y, x);
        if (x == 0) return 0;
        double t = y / x;
        return x * Math.Sqrt(1 + t * t);
    }

    /// <summary>
    /// QL sweeps recorded until enough accumulate, then applied to W one column block at a time: a block of all rows
    /// stays in cache while many sweeps pass over it, instead of each sweep streaming the whole matrix from memory.
    /// </summary>
    private sealed class RotationLog
    {
        private readonly double[] _w;
        private readonly int _n;
        private readonly double[] _c, _s;
        private readonly List<(int L, int M, int Offset)> _sweeps = new();
        private int _used;

        public RotationLog(double[] w, int n)
        {
            _w = w;
            _n = n;
            // About 32 full sweeps between flushes: enough reuse per cached block, little memory (2 × 32n doubles).
            int capacity = Math.Max(32 * n, 1024);
            _c = new double[capacity];
            _s = new double[capacity];
        }

        /// <summary>Room for the m − l rotations of one sweep; entry i − l holds the rotation of rows i and i + 1.</summary>
        public int Begin(int l, int m)
        {
            if (_used + (m - l) > _c.Length) Flush();
            _sweeps.Add((l, m, _used));
            int offset = _used;
            _used += m - l;
            return offset;
        }

        public double[] C => _c;
        public double[] S => _s;

        public void Flush()
        {
            if (_sweeps.Count == 0) return;
            int n = _n;
            // Column block of all n rows × width doubles, about 4 MiB so it stays in L3 across the recorded sweeps.
            // Measured at n = 3072: 160 columns ran the QL phase in half the CPU time of 32 (short rows cost per-call overhead).
            int width = Math.Clamp((4 << 20) / (8 * n) / 8 * 8, 64, 512);
            int blocks = (n + width - 1) / width;
            var w = _w;
            var c = _c;
            var s = _s;
            var sweeps = _sweeps;
            void Block(int b)
            {
                int k0 = b * width, len = Math.Min(width, n - k0);
                foreach (var (l, m, offset) in sweeps)
                    for (int i = m - 1; i >= l; i--)
                        Rotate(w.AsSpan(i * n + k0, len), w.AsSpan((i + 1) * n + k0, len), c[offset + i - l], s[offset + i - l]);
            }
            if (blocks == 1 || (long)_used * n < 1 << 20) for (int b = 0; b < blocks; b++) Block(b);
            else Parallel.For(0, blocks, Block);
            _sweeps.Clear();
            _used = 0;
        }
    }

    private static void SortAscending(double[] w, int n, double[] d)
    {
        for (int i = 0; i < n - 1; i++)
        {
            int k = i;
            double p = d[i];
            for (int j = i + 1; j < n; j++)
                if (d[j] < p)
                {
                    k = j;
                    p = d[j];
                }
            if (k != i)
            {
                d[k] = d[i];
                d[i] = p;
                var a = Row(w, n, i, 0, n);
                var b = Row(w, n, k, 0, n);
                for (int c = 0; c < n; c++) (a[c], b[c]) = (b[c], a[c]);
            }
        }
    }

    // ---- vector kernels (System.Numerics.Vector maps to AVX2/SSE/NEON; scalar tails compute the same) ----

    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= 2 * Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b[..a.Length]);
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            int k = 0;
            for (; k + 1 < va.Length; k += 2)
            {
                acc0 += va[k] * vb[k];
                acc1 += va[k + 1] * vb[k + 1];
            }
            if (k < va.Length) acc0 += va[k] * vb[k];
            sum = Vector.Sum(acc0 + acc1);
            i = va.Length * Vector<double>.Count;
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>y += alpha · x.</summary>
    internal static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..x.Length]);
            var va = new Vector<double>(alpha);
            for (int k = 0; k < vx.Length; k++) vy[k] += va * vx[k];
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < x.Length; i++) y[i] += alpha * x[i];
    }

    /// <summary>Returns Σ row·d and does e += f·row, in one pass over the row.</summary>
    private static double DotAndAxpy(ReadOnlySpan<double> row, ReadOnlySpan<double> d, double f, Span<double> e)
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vr = MemoryMarshal.Cast<double, Vector<double>>(row);
            var vd = MemoryMarshal.Cast<double, Vector<double>>(d[..row.Length]);
            var ve = MemoryMarshal.Cast<double, Vector<double>>(e[..row.Length]);
            var vf = new Vector<double>(f);
            var acc = Vector<double>.Zero;
            for (int k = 0; k < vr.Length; k++)
            {
                acc += vr[k] * vd[k];
                ve[k] += vr[k] * vf;
            }
            sum = Vector.Sum(acc);
            i = vr.Length * Vector<double>.Count;
        }
        for (; i < row.Length; i++)
        {
            sum += row[i] * d[i];
            e[i] += row[i] * f;
        }
        return sum;
    }

    /// <summary>row −= f·e + g·d.</summary>
    private static void Rank2(Span<double> row, double f, ReadOnlySpan<double> e, double g, ReadOnlySpan<double> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vr = MemoryMarshal.Cast<double, Vector<double>>(row);
            var ve = MemoryMarshal.Cast<double, Vector<double>>(e[..row.Length]);
            var vd = MemoryMarshal.Cast<double, Vector<double>>(d[..row.Length]);
            var vf = new Vector<double>(f);
            var vg = new Vector<double>(g);
            for (int k = 0; k < vr.Length; k++) vr[k] -= vf * ve[k] + vg * vd[k];
            i = vr.Length * Vector<double>.Count;
        }
        for (; i < row.Length; i++) row[i] -= f * e[i] + g * d[i];
    }

    /// <summary>(a, b) ← (c·a − s·b, s·a + c·b): one Givens rotation of two rows.</summary>
    private static void Rotate(Span<double> a, Span<double> b, double c, double s)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b[..a.Length]);
            var vc = new Vector<double>(c);
            var vs = new Vector<double>(s);
            for (int k = 0; k < va.Length; k++)
            {
                var x = va[k];
                var y = vb[k];
                vb[k] = Vector.FusedMultiplyAdd(vs, x, vc * y);
                va[k] = Vector.FusedMultiplyAdd(vc, x, -(vs * y));
            }
            i = va.Length * Vector<double>.Count;
        }
        for (; i < a.Length; i++)
        {
            double x = a[i], y = b[i];
            b[i] = s * x + c * y;
            a[i] = c * x - s * y;
        }
    }
}
