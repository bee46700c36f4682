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
    protected Composite(TOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.Transforms.Count == 0) throw new ArgumentException($"{options.Name}: option 'transforms' needs at least one transform.", nameof(options));
        Items = options.Transforms.Select(t => t.Create()).ToArray();
    }

    public TOptions Options { get; }
    TransformOptions ITransform.Options => Options;
    public string Name => Options.Name;
    public IReadOnlyList<ITransform> Children => Items;

    /// <summary>The children as an array: sampling walks it with no enumerator allocation.</summary>
    protected ITransform[] Items { get; }

    public abstract void Sample(ref RandomStream random, ref ImageInfo shape, ParameterTape tape);

    /// <summary>Checks optional weights (one per child, ≥ 0, not all 0) and returns their cumulative sums normalised to 1.</summary>
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
    protected static int Pick(ReadOnlySpan<double> cumulative, ref RandomStream random)
    {
        double u = random.NextDouble();
        for (int i = 0; i < cumulative.Length - 1; i++)
            if (u < cumulative[i]) return i;
        return cumulative.Length - 1;
    }
}
