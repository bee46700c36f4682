using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Transforms.Composition;

/// <summary>Options of <see cref="SomeOf"/>: JSON <c>{"name": "some_of", "transforms": [...], "n": 2, "replace": false,
/// "weights": [...]}</c>.</summary>
public sealed record SomeOfOptions : CompositeOptions
{
    /// <summary><c>some_of</c>.</summary>
    public override string Name => "some_of";
    /// <summary>A new <see cref="SomeOf"/>.</summary>
    /// <exception cref="ArgumentException">There are no children, the weights do not fit them, or (without replacement)
    /// n exceeds the children with a positive weight.</exception>
    public override ITransform Create() => new SomeOf(this);

    /// <summary>How many children to apply per image (≥ 0; default 1); without replacement, at most the number of
    /// children with a positive weight.</summary>
    [Option("how many transforms to apply", Min = 0)]
    public int N { get; init => field = Checked(value); } = 1;

    /// <summary>Draw with replacement, so a child may apply more than once (numpy's choice replace); default false.</summary>
    [Option("draw with replacement (a transform may apply more than once)")]
    public bool Replace { get; init; }

    /// <summary>Relative probability of each child (one per child, ≥ 0, positive sum); empty for equal chances.</summary>
    [Option("relative probability of each transform (empty: equal)", Min = 0)]
    public IReadOnlyList<double> Weights { get; init => field = Checked(value); } = [];
}

/// <summary>
/// n children drawn by weight, with or without replacement (Albumentations' SomeOf, numpy's choice), applied in the
/// order drawn.
/// </summary>
public sealed class SomeOf : Composite<SomeOfOptions>
{
    private readonly double[] _weights;
    private readonly double[] _cumulative;

    /// <summary>Builds the children and checks n and the weights.</summary>
    /// <param name="options">The options; at least one child.</param>
    /// <exception cref="ArgumentException">There are no children, the weights do not fit them, or (without replacement)
    /// n exceeds the children with a positive weight.</exception>
    public SomeOf(SomeOfOptions options) : base(options)
    {
        _cumulative = Cumulative(options.Weights);
        _weights = new double[Items.Length];
        for (int i = 0; i < _weights.Length; i++) _weights[i] = _cumulative[i] - (i == 0 ? 0 : _cumulative[i - 1]);
        if (!options.Replace && options.N > Items.Length)
            throw new ArgumentException($"some_of: option 'n' is {options.N} but there are only {Items.Length} transforms to draw without replacement (lower n or set replace).");
        if (!options.Replace && options.N > _weights.Count(w => w > 0))
            throw new ArgumentException($"some_of: option 'n' is {options.N} but only {_weights.Count(w => w > 0)} transforms have a positive weight.");
    }

    /// <summary>Draws n children by weight (one draw each) and samples them in the order drawn.</summary>
    /// <param name="random">The sample's stream; advanced by the choice and by the children's draws.</param>
    /// <param name="shape">In: the shape received. Out: the shape after the children applied.</param>
    /// <param name="tape">The sample's tape; one entry per leaf applied.</param>
    public override void Sample(ref RandomStream random, ref ImageInfo shape, ParameterTape tape)
    {
        if (Options.Replace)
        {
            for (int k = 0; k < Options.N; k++) Items[Pick(_cumulative, ref random)].Sample(ref random, ref shape, tape);
            return;
        }
        Span<double> left = Items.Length <= 64 ? stackalloc double[Items.Length] : new double[Items.Length];
        _weights.CopyTo(left);
        double total = 1;
        for (int k = 0; k < Options.N; k++)
        {
            double u = random.NextDouble() * total;
            int pick = -1;
            for (int i = 0; i < left.Length; i++)
            {
                if (left[i] <= 0) continue;
                pick = i;
                if (u < left[i]) break;
                u -= left[i];
            }
            total -= left[pick];
            left[pick] = 0;
            Items[pick].Sample(ref random, ref shape, tape);
        }
    }
}
