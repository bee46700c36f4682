using System.Numerics;
using System.Runtime.InteropServices;

namespace Mirage.Generation;

/// <summary>Writes sample <paramref name="index"/> (already centred/normalized, HWC order) into <paramref name="row"/>.</summary>
internal delegate void SampleWriter(long index, Span<double> row);

/// <summary>
/// Keras's ZCA matrix in double: sigma = Xᵀ·X / N, sigma = U·diag(s)·Uᵀ, PC = U·diag(1/sqrt(s + ε))·Uᵀ.
/// Keras takes scipy's SVD of sigma; for a symmetric matrix the singular values are |λ| and the singular vectors are
/// the eigenvectors up to sign, which the outer products u·uᵀ cancel, so the symmetric eigensolver gives the same matrix.
/// </summary>
internal static class Zca
{
    /// <summary>Samples gathered before each covariance update: enough to reuse each covariance row from cache.</summary>
    public const int BlockRows = 32;

    /// <summary>
    /// The ZCA matrix of the <paramref name="count"/> samples <paramref name="write"/> produces. With
    /// <paramref name="float32Sums"/>, sigma is formed as Keras 1.1.0 forms it (np.dot of float32 arrays through netlib
    /// BLAS): each entry a float32 sum of float32 products in sample order, divided by N in float32 (the samples must
    /// then be float32 values); the eigendecomposition stays in double either way.
    /// </summary>
    public static float[] PrincipalComponents(int d, long count, SampleWriter write, double epsilon, bool float32Sums = false)
    {
        var sigma = new double[(long)d * d];
        var block = new double[BlockRows * d];
        var block32 = float32Sums ? new float[BlockRows * d] : null;
        int filled = 0;
        for (long k = 0; k < count; k++)
        {
            write(k, block.AsSpan(filled * d, d));
            if (++filled == BlockRows) Accumulate();
        }
        if (filled > 0) Accumulate();
        block = null!;

        if (float32Sums) DivideAndWiden(sigma, d, count);
        double inv = float32Sums ? 1 : 1.0 / count;
        for (int i = 0; i < d; i++)
        {
            sigma[(long)i * d + i] *= inv;
            for (int j = i + 1; j < d; j++)
            {
                double v = sigma[(long)i * d + j] * inv;
                sigma[(long)i * d + j] = v;
                sigma[(long)j * d + i] = v;
            }
        }

        var eigenvalues = new double[d];
        SymmetricEigen.Decompose(sigma, d, eigenvalues);
        var w = sigma; // row k = eigenvector k

        // V = Wᵀ (columns are eigenvectors), column k scaled by (|λk| + ε)^(−1/4); then PC = V·Vᵀ (row dot products).
        for (int i = 0; i < d; i++)
            for (int j = i + 1; j < d; j++)
                (w[(long)i * d + j], w[(long)j * d + i]) = (w[(long)j * d + i], w[(long)i * d + j]);
        var scale = new double[d];
        for (int k = 0; k < d; k++) scale[k] = Math.Pow(Math.Abs(eigenvalues[k]) + epsilon, -0.25);
        for (int i = 0; i < d; i++)
        {
            var row = w.AsSpan(i * d, d);
            for (int k = 0; k < d; k++) row[k] *= scale[k];
        }

        var pc = new float[(long)d * d];
        int groups = (d + 3) / 4;
        void Group(int g)
        {
            int a0 = g * 4, rows = Math.Min(4, d - a0);
            Span<double> dots = stackalloc double[4];
            for (int b = a0; b < d; b++)
            {
                Dot4(w, d, a0, rows, b, dots);
                for (int r = 0; r < rows; r++)
                {
                    int a = a0 + r;
                    if (b < a) continue;
                    pc[(long)a * d + b] = (float)dots[r];
                    pc[(long)b * d + a] = (float)dots[r];
                }
            }
        }
        if (d < 256) for (int g = 0; g < groups; g++) Group(g);
        else Parallel.For(0, groups, Group);
        return pc;

        void Accumulate()
        {
            if (block32 is null) AccumulateUpper(sigma, d, block, filled);
            else
            {
                for (int i = 0; i < filled * d; i++) block32[i] = (float)block[i];
                AccumulateUpperFloat32(sigma, d, block32, filled);
            }
            filled = 0;
        }
    }

    /// <summary>
    /// <see cref="AccumulateUpper"/> in float32, in the first D×D floats of <paramref name="sigma"/>'s memory (widened in
    /// place afterwards, so no second D×D buffer): each sum adds the products in sample order, each product and each
    /// sum rounded to float32 (a multiply then an add, never fused), as netlib BLAS's sgemm/ssyrk loops do.
    /// </summary>
    private static void AccumulateUpperFloat32(double[] sigma, int d, float[] x, int rows)
    {
        void Row(int i)
        {
            var target = MemoryMarshal.Cast<double, float>(sigma.AsSpan()).Slice(i * d + i, d - i);
            for (int b = 0; b < rows; b++)
            {
                float a = x[b * d + i];
                if (a == 0) continue;
                var source = x.AsSpan(b * d + i, d - i);
                int k = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    var vs = MemoryMarshal.Cast<float, Vector<float>>(source);
                    var vt = MemoryMarshal.Cast<float, Vector<float>>(target);
                    var va = new Vector<float>(a);
                    for (int v = 0; v < vs.Length; v++) vt[v] += va * vs[v];
                    k = vs.Length * Vector<float>.Count;
                }
                for (; k < source.Length; k++) target[k] += a * source[k];
            }
        }
        if ((long)d * d * rows < 1 << 22) for (int i = 0; i < d; i++) Row(i);
        else Parallel.For(0, d, Row);
    }

    /// <summary>Divides the float32 sums by N in float32 (sigma / N of a float32 array) and widens them to the doubles of
    /// the same array, back to front: double k covers floats 2k and 2k + 1, which are read before it is written.</summary>
    private static void DivideAndWiden(double[] sigma, int d, long count)
    {
        var sums = MemoryMarshal.Cast<double, float>(sigma.AsSpan());
        float n = count;
        for (int k = d * d - 1; k >= 0; k--)
        {
            float v = sums[k] / n;
            sigma[k] = v;
        }
    }

    /// <summary>sigma[i, j≥i] += Σ_b x[b, i]·x[b, j]: each covariance row stays in L1 while the sample block streams.</summary>
    private static void AccumulateUpper(double[] sigma, int d, double[] x, int rows)
    {
        void Row(int i)
        {
            var target = sigma.AsSpan(i * d + i, d - i);
            for (int b = 0; b < rows; b++)
            {
                double a = x[b * d + i];
                if (a != 0) SymmetricEigen.Axpy(a, x.AsSpan(b * d + i, d - i), target);
            }
        }
        if ((long)d * d * rows < 1 << 22) for (int i = 0; i < d; i++) Row(i);
        else Parallel.For(0, d, Row);
    }

    /// <summary>dots[r] = row(a0 + r) · row(b) for up to four rows, loading row b once.</summary>
    private static void Dot4(double[] w, int d, int a0, int rows, int b, Span<double> dots)
    {
        var vb = w.AsSpan(b * d, d);
        if (rows < 4 || !Vector.IsHardwareAccelerated)
        {
            for (int r = 0; r < rows; r++) dots[r] = SymmetricEigen.Dot(w.AsSpan((a0 + r) * d, d), vb);
            return;
        }
        var r0 = MemoryMarshal.Cast<double, Vector<double>>(w.AsSpan(a0 * d, d));
        var r1 = MemoryMarshal.Cast<double, Vector<double>>(w.AsSpan((a0 + 1) * d, d));
        var r2 = MemoryMarshal.Cast<double, Vector<double>>(w.AsSpan((a0 + 2) * d, d));
        var r3 = MemoryMarshal.Cast<double, Vector<double>>(w.AsSpan((a0 + 3) * d, d));
        var rb = MemoryMarshal.Cast<double, Vector<double>>(vb);
        Vector<double> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int k = 0; k < rb.Length; k++)
        {
            var x = rb[k];
            s0 += r0[k] * x;
            s1 += r1[k] * x;
            s2 += r2[k] * x;
            s3 += r3[k] * x;
        }
        double t0 = Vector.Sum(s0), t1 = Vector.Sum(s1), t2 = Vector.Sum(s2), t3 = Vector.Sum(s3);
        for (int k = rb.Length * Vector<double>.Count; k < d; k++)
        {
            double x = vb[k];
            t0 += w[a0 * d + k] * x;
            t1 += w[(a0 + 1) * d + k] * x;
            t2 += w[(a0 + 2) * d + k] * x;
            t3 += w[(a0 + 3) * d + k] * x;
        }
        dots[0] = t0;
        dots[1] = t1;
        dots[2] = t2;
        dots[3] = t3;
    }
}
