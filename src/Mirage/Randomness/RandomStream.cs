namespace Mirage.Randomness;

/// <summary>
/// A small deterministic random stream (SplitMix64). A sample's stream is derived from (seed, epoch, index), so the
/// same seed gives the same draws whatever the thread count or consumption order. Pass it by ref; never share one.
/// </summary>
/// <remarks>A mutable struct: copying it forks the stream (both copies give the same draws), so pass it by <c>ref</c>.
/// Not thread-safe; give each thread or sample its own stream (<see cref="For"/>). <c>default</c> is a valid stream
/// (seed 0 mixed differently from <c>new RandomStream(0)</c>). Not numpy's generator: a seed reproduces Mirage's
/// draws, not Keras's.</remarks>
public struct RandomStream
{
    private ulong _state;

    /// <summary>A stream seeded with <paramref name="seed"/>; equal seeds give equal sequences on every platform.</summary>
    /// <param name="seed">Any value, 0 included.</param>
    public RandomStream(ulong seed) => _state = Mix(seed ^ 0x9E3779B97F4A7C15UL);

    /// <summary>The stream of sample <paramref name="index"/> in <paramref name="epoch"/> for <paramref name="seed"/>.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="epoch">The epoch (or round), from 0.</param>
    /// <param name="index">The sample's index in the data source (not its position in the shuffled order).</param>
    /// <returns>A fresh stream; (seed, epoch, index) fixes its draws.</returns>
    public static RandomStream For(ulong seed, long epoch, long index) =>
        new(Mix(Mix(Mix(seed) ^ (ulong)epoch) + 0x632BE59BD9B4E019UL ^ (ulong)index));

    /// <summary>The next 64 random bits (SplitMix64); advances the stream by one step.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    /// <param name="low">Inclusive lower end.</param>
    /// <param name="high">Exclusive upper end; may be below <paramref name="low"/> (the range is then (high, low]).</param>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, n), without modulo bias.</summary>
    /// <param name="n">The number of outcomes; > 0.</param>
    /// <remarks>Consumes one or more steps (rejection sampling), so the number of steps depends on the values drawn.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is 0 or negative.</exception>
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

    /// <summary>True or false with probability 1/2 each (the top bit of one step).</summary>
    public bool NextBool() => (NextUInt64() >> 63) != 0;

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
