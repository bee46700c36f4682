using Mirage.Generation;

namespace Mirage.Tests.Generation;

public class SymmetricEigenTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(60)]
    [InlineData(301)] // odd size, past the vector tails and the parallel thresholds
    [InlineData(520)] // past 512 columns: the deferred rotations are applied in two column blocks, in parallel
    public void DecomposesRandomSymmetricMatrices(int n)
    {
        var rng = new Random(n);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                a[i * n + j] = a[j * n + i] = rng.NextDouble() * 2 - 1; // indefinite
        var v = (double[])a.Clone();
        var lambda = new double[n];
        SymmetricEigen.Decompose(v, n, lambda);

        double norm = a.Max(Math.Abs) * n;
        for (int k = 0; k < n; k++)
        {
            if (k > 0) Assert.True(lambda[k - 1] <= lambda[k]);
            for (int i = 0; i < n; i++)
            {
                double av = 0;
                for (int j = 0; j < n; j++) av += a[i * n + j] * v[k * n + j];
                Assert.True(Math.Abs(av - lambda[k] * v[k * n + i]) < 1e-12 * norm, $"A·v ≠ λ·v at k={k}, i={i}");
            }
        }
        for (int k = 0; k < n; k += Math.Max(1, n / 10))
            for (int l = 0; l < n; l++)
            {
                double dot = 0;
                for (int j = 0; j < n; j++) dot += v[k * n + j] * v[l * n + j];
                Assert.Equal(k == l ? 1 : 0, dot, 12);
            }
    }

    [Fact]
    public void KnownEigenvaluesAndZeroBlocks()
    {
        // diag(3, 0, 0, 1) rotated in the (0, 3) plane, with an exact zero row/column (tred2's scale = 0 path).
        double c = Math.Cos(0.3), s = Math.Sin(0.3);
        var a = new double[16];
        a[0] = 3 * c * c + s * s;
        a[15] = 3 * s * s + c * c;
        a[3] = a[12] = (3 - 1) * c * s;
        var lambda = new double[4];
        SymmetricEigen.Decompose(a, 4, lambda);
        Assert.Equal(0, lambda[0], 14);
        Assert.Equal(0, lambda[1], 14);
        Assert.Equal(1, lambda[2], 14);
        Assert.Equal(3, lambda[3], 14);
    }

    [Fact]
    public void ArgumentsAreCheckedAndExactSizesAccepted()
    {
        Assert.Throws<ArgumentNullException>(() => SymmetricEigen.Decompose(null!, 1, new double[1]));
        Assert.Throws<ArgumentNullException>(() => SymmetricEigen.Decompose(new double[1], 1, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricEigen.Decompose(new double[1], 0, new double[1]));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[3], 2, new double[2]));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[4], 2, new double[1]));
        var a = new double[] { 2, 1, 1, 2 };
        var lambda = new double[2];
        SymmetricEigen.Decompose(a, 2, lambda); // exactly n·n values and n eigenvalues
        Assert.Equal(1, lambda[0], 14);
        Assert.Equal(3, lambda[1], 14);
        Assert.Equal(Math.Abs(a[0]), Math.Sqrt(0.5), 14); // unit eigenvector of 1: ±(1, −1)/√2
        Assert.Equal(-a[0], a[1], 14);
    }

    /// <summary>The documented MirageException for NaN or infinite input; before the fix NaN made every convergence
    /// test false, the QL search ran past the last row and an IndexOutOfRangeException escaped.</summary>
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonFiniteInputIsAMirageException(double bad)
    {
        var a = new double[] { 1, bad, bad, 1, };
        var e = Assert.Throws<MirageException>(() => SymmetricEigen.Decompose(a, 2, new double[2]));
        Assert.Contains("NaN or infinite", e.Message);
    }

    [Fact]
    public void ZcaFitOnANaNImageIsAMirageException()
    {
        using var a = new Mirage.Imaging.Image<float>(2, 2, 1);
        using var b = new Mirage.Imaging.Image<float>(2, 2, 1);
        b.Span[3] = float.NaN;
        var gen = new ImageDataGenerator(new() { ZcaWhitening = true });
        Assert.Throws<MirageException>(() => gen.Fit([a, b]));
    }
}
