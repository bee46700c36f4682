using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Transforms.Composition;

/// <summary>Options of <see cref="OneOf"/>: JSON <c>{"name": "one_of", "transforms": [...], "weights": [...]}</c>.</summary>
public sealed record OneOfOptions : CompositeOptions
{
    /// <summary><c>one_of</c>.</summary>
    public override string Name => "one_of";
    /// <summary>A new <see cref="OneOf"/>.</summary>
    /// <exception cref="ArgumentException">There are no children, or the weights do not fit them.</exception>
    public override ITransform Create() => new OneOf(this);

    /// <summary>Relative probability of each child (one per child, ≥ 0, positive sum); empty for equal chances.</summary>
    [Option("relative probability of each transform (empty: equal)", Min = 0)]
    public IReadOnlyList<double> Weights { get; init => field = Checked(value); } = [];
}

/// <summary>Exactly one child, picked with probability proportional to its weight.</summary>
public sealed class OneOf : Composite<OneOfOptions>
{
    private readonly double[] _cumulative;

    /// <summary>Builds the children and checks the weights.</summary>
    /// <param name="options">The options; at least one child.</param>
    /// <exception cref="ArgumentException">There are no children, or the weights do not fit them.</exception>
    public OneOf(OneOfOptions options) : base(options) => _cumulative = Cumulative(options.Weights);

    /// <summary>Picks one child by weight (one draw) and samples it.</summary>
    /// <param name="random">The sample's stream; advanced by the choice and by the children's draws.</param>
    /// <param name="shape">In: the shape received. Out: the shape after the children applied.</param>
    /// <param name="tape">The sample's tape; one entry per leaf applied.</param>
    public override void Sample(ref RandomStream random, ref ImageInfo shape, ParameterTape tape) =>
        Items[Pick(_cumulative, ref random)].Sample(ref random, ref shape, tape);
}
