namespace Mirage.Randomness;

/// <summary>The one shuffle: every place that shuffles or splits (epoch order, shuffled validation split) draws here,
/// so a fix or a pinned order covers them all.</summary>
internal static class Permutation
{
    /// <summary>Fisher–Yates over 0..n−1 from <paramref name="random"/> (a copy: the caller's stream does not advance).</summary>
    public static int[] Of(int n, RandomStream random)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
