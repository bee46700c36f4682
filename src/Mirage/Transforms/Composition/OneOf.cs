using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Transforms.Composition;

public sealed record OneOfOptions : CompositeOptions
{
    public override string Name => "one_of";
    public override ITransform Create() => new OneOf(this);

    [Option("relative probability of each transform (empty: equal)", Min = 0)]
    public IReadOnlyList<double> Weights { get; init => field = Checked(value); } = [];
}

/// <summary>Exactly one child, picked with probability proportional to its weight.</summary>
public sealed class OneOf : Composite<OneOfOptions>
{
    private readonly double[] _cumulative;

    public OneOf(OneOfOptions options) : base(options) => _cumulative = Cumulative(options.Weights);

    public override void Sample(ref RandomStream random, ref ImageInfo shape, ParameterTape tape) =>
        Items[Pick(_cumulative, ref random)].Sample(ref random, ref shape, tape);
}
