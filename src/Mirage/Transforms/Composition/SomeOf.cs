using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Transforms.Composition;

public sealed record SomeOfOptions : CompositeOptions
{
    public override string Name => "some_of";
    public override ITransform Create() => new SomeOf(this);

    [Option("how many transforms to apply", Min = 0)]
    public int N { get; init => field = Checked(value); } = 1;

    [Option("draw with replacement (a transform may apply more than once)")]
    public bool Replace { get; init; }

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
