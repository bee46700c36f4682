namespace Mirage.Randomness;

/// <summary>
/// A small deterministic random stream (SplitMix64). A sample's stream is derived from (seed, epoch, index), so the
/// same seed gives the same draws whatever the thread count or consumption order. Pass it by ref; never share one.
/// </summary>
public struct RandomStream
{
    private ulong _state;

    public RandomStream(ulong seed) => _state = Mix(seed ^ 0x9E3779B97F4A7C15UL);

    /// <summary>The stream of sample <paramref name="index"/> in <paramref name="epoch"/> for <paramref name="seed"/>.</summary>
    public static RandomStream For(ulong seed, long epoch, long index) =>
        new(Mix(Mix(Mix(seed) ^ (ulong)epoch) + 0x632BE59BD9B4E019UL ^ (ulong)index));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, n), without modulo bias.</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "The range of a random integer must be positive.");
        ulong bound = (ulong)n, threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            if (r >= threshold) return (int)(r % bound);
        }
    }

    public bool NextBool() => (NextUInt64() >> 63) != 0;

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
