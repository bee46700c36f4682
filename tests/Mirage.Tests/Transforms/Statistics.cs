namespace Mirage.Tests.Transforms;

/// <summary>Pearson's chi-square goodness of fit for the sampling tests.</summary>
internal static class Statistics
{
    public static double ChiSquare(IReadOnlyList<int> observed, IReadOnlyList<double> probabilities)
    {
        double n = observed.Sum(), chi = 0;
        for (int i = 0; i < observed.Count; i++)
        {
            double e = n * probabilities[i];
            chi += (observed[i] - e) * (observed[i] - e) / e;
        }
        return chi;
    }

    /// <summary>The 99.9% point of chi-square with <paramref name="df"/> degrees of freedom (Wilson–Hilferty; within 1% for df ≥ 1).</summary>
    public static double ChiSquareCritical999(int df)
    {
        const double z = 3.0902; // standard normal 99.9%
        double a = 2.0 / (9 * df);
        return df * Math.Pow(1 - a + z * Math.Sqrt(a), 3);
    }
}
