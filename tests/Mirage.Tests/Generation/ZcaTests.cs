using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Randomness;

namespace Mirage.Tests.Generation;

/// <summary>
/// ZCA at a dimension past the serial/parallel thresholds of the covariance and the PC product (D = 384 ≥ 256, and
/// D²·32 ≥ 2²²), in double and in Keras's float32 sums. Oracle: the definition. PC = (sigma + εI)^(−1/2) with sigma the
/// covariance of the centred samples, so PC is symmetric and PC·(sigma + εI)·PC = I, checked in double against a
/// sigma computed here sample by sample.
/// </summary>
public class ZcaTests
{
    private static List<Image<float>> Samples(int H, int W, int C, int N)
    {
        var random = new RandomStream(384);
        var list = new List<Image<float>>(N);
        for (int n = 0; n < N; n++)
        {
            var img = new Image<float>(H, W, C);
            foreach (ref var v in img.Span) v = (float)Math.Round(random.Uniform(0, 255));
            list.Add(img);
        }
        return list;
    }

    /// <summary>D = 384 = 8×16×3 crosses the parallel thresholds; D = 15 = 1×5×3 (not a multiple of 4) takes the
    /// product's scalar path for a last group of three rows and the vector tail of every dot product.</summary>
    [Theory]
    [InlineData(8, 16, 3, 900, false)]
    [InlineData(8, 16, 3, 900, true)]
    [InlineData(1, 5, 3, 200, false)]
    [InlineData(1, 5, 3, 200, true)]
    public void PrincipalComponentsAreTheInverseSquareRootOfTheCovariance(int H, int W, int C, int N, bool zcaFloat32)
    {
        int D = H * W * C;
        var x = Samples(H, W, C, N);
        const double epsilon = 1e-6;
        var gen = new ImageDataGenerator(new() { ZcaWhitening = true, ZcaEpsilon = epsilon });
        gen.Fit(x, zcaFloat32: zcaFloat32);
        var pc = gen.PrincipalComponents!;
        Assert.Equal(D, gen.ZcaDimension);

        // Per-channel mean, then sigma = XcᵀXc / N in double.
        var mean = new double[C];
        foreach (var img in x)
            for (int j = 0; j < D; j++) mean[j % C] += img.Span[j];
        for (int c = 0; c < C; c++) mean[c] /= (double)N * H * W;
        for (int c = 0; c < C; c++) Assert.Equal(mean[c], gen.Mean![c], 3);
        var a = new double[D * D];
        var row = new double[D];
        foreach (var img in x)
        {
            for (int j = 0; j < D; j++) row[j] = img.Span[j] - mean[j % C];
            for (int i = 0; i < D; i++)
            {
                double ri = row[i];
                for (int j = 0; j < D; j++) a[i * D + j] += ri * row[j];
            }
        }
        for (int i = 0; i < D * D; i++) a[i] /= N;
        for (int i = 0; i < D; i++) a[i * D + i] += epsilon;

        for (int i = 0; i < D; i++)
            for (int j = 0; j < i; j++) Assert.Equal(pc[i * D + j], pc[j * D + i]);

        // M = PC·A, then (M·PC)[i, j] must be the identity (rows of PC = columns, PC symmetric).
        var m = new double[D * D];
        for (int i = 0; i < D; i++)
            for (int k = 0; k < D; k++)
            {
                double p = pc[i * D + k];
                for (int j = 0; j < D; j++) m[i * D + j] += p * a[k * D + j];
            }
        double worst = 0;
        for (int i = 0; i < D; i++)
            for (int j = 0; j < D; j++)
            {
                double s = 0;
                for (int k = 0; k < D; k++) s += m[i * D + k] * pc[k * D + j];
                worst = Math.Max(worst, Math.Abs(s - (i == j ? 1 : 0)));
            }
        Assert.True(worst < 2e-3, $"PC·(sigma + εI)·PC differs from I by {worst:E3}");
        foreach (var img in x) img.Dispose();
    }
}
