using System.Text.Json.Serialization;
using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Transforms.Composition;

/// <summary>Options of a transform made of others: the children (JSON <c>"transforms": [...]</c>).</summary>
public abstract record CompositeOptions : TransformOptions
{
    /// <summary>The child transforms' options, in order.</summary>
    [JsonIgnore]
    public IReadOnlyList<TransformOptions> Transforms { get; init; } = [];
}

/// <summary>Base of the compositions: children built from the options; sampling recurses into the chosen ones.</summary>
public abstract class Composite<TOptions> : ITransform where TOptions : CompositeOptions
{
    /// <summary>Builds every child from <paramref name="options"/> (each child is created once and reused for every
    /// sample).</summary>
    /// <param name="options">The composition's options; at least one child.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">There are no children.</exception>
    protected Composite(TOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.Transforms.Count == 0) throw new ArgumentException($"{options.Name}: option 'transforms' needs at least one transform.", nameof(options));
        Items = options.Transforms.Select(t => t.Create()).ToArray();
    }

    /// <summary>The options this composition was built from, with their concrete type.</summary>
    public TOptions Options { get; }
    TransformOptions ITransform.Options => Options;
    /// <inheritdoc/>
    public string Name => Options.Name;
    /// <summary>The child transforms, in the order of the options.</summary>
    public IReadOnlyList<ITransform> Children => Items;

    /// <summary>The children as an array: sampling walks it with no enumerator allocation.</summary>
    protected ITransform[] Items { get; }

    /// <summary>Chooses children by this composition's rule and samples each chosen one in turn, so the tape gets one
    /// entry per leaf applied and <paramref name="shape"/> follows them.</summary>
    /// <param name="random">The sample's stream; advanced by the choice and by the children's draws.</param>
    /// <param name="shape">In: the shape the composition receives. Out: the shape after the chosen children.</param>
    /// <param name="tape">The sample's tape.</param>
    public abstract void Sample(ref RandomStream random, ref ImageInfo shape, ParameterTape tape);

    /// <summary>Checks optional weights (one per child, ≥ 0, not all 0) and returns their cumulative sums normalised to 1.</summary>
    /// <param name="weights">One weight per child, or null/empty for equal weights.</param>
    /// <exception cref="ArgumentException">The count differs from the number of children, or the sum is not positive.</exception>
    protected double[] Cumulative(IReadOnlyList<double>? weights)
    {
        int n = Items.Length;
        if (weights is null || weights.Count == 0) return Enumerable.Range(1, n).Select(i => (double)i / n).ToArray();
        if (weights.Count != n)
            throw new ArgumentException($"{Name}: option 'weights' has {weights.Count} values but there are {n} transforms (give one weight per transform).");
        double total = weights.Sum();
        if (!(total > 0)) throw new ArgumentException($"{Name}: option 'weights' must have a positive sum.");
        var c = new double[n];
        double run = 0;
        for (int i = 0; i < n; i++) c[i] = (run += weights[i]) / total;
        c[n - 1] = 1;
        return c;
    }

    /// <summary>An index drawn with the probabilities of <paramref name="cumulative"/>.</summary>
    /// <param name="cumulative">Cumulative probabilities ending at 1 (from <see cref="Cumulative"/>).</param>
    /// <param name="random">Advanced by one draw.</param>
    protected static int Pick(ReadOnlySpan<double> cumulative, ref RandomStream random)
    {
        double u = random.NextDouble();
        for (int i = 0; i < cumulative.Length - 1; i++)
            if (u < cumulative[i]) return i;
        return cumulative.Length - 1;
    }
}
