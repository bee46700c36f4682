using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Transforms.Composition;

/// <summary>Options of <see cref="RandomApply"/>: JSON <c>{"name": "random_apply", "transforms": [...], "p": 0.5}</c>.</summary>
public sealed record RandomApplyOptions : CompositeOptions
{
    /// <summary><c>random_apply</c>.</summary>
    public override string Name => "random_apply";
    /// <summary>A new <see cref="RandomApply"/>.</summary>
    /// <exception cref="ArgumentException">There are no children.</exception>
    public override ITransform Create() => new RandomApply(this);

    /// <summary>Probability, in [0, 1], that all the children apply (torchvision's p); default 0.5.</summary>
    [Option("probability that the transforms apply (all of them, in order, or none)", Min = 0, Max = 1)]
    public double P { get; init => field = Checked(value); } = 0.5;
}

/// <summary>With probability p, every child in order; otherwise nothing (torchvision's RandomApply).</summary>
/// <param name="options">The options; at least one child.</param>
public sealed class RandomApply(RandomApplyOptions options) : Composite<RandomApplyOptions>(options)
{
    /// <summary>One draw decides; then every child is sampled in order, or none.</summary>
    /// <param name="random">The sample's stream; advanced by the choice and by the children's draws.</param>
    /// <param name="shape">In: the shape received. Out: the shape after the children applied.</param>
    /// <param name="tape">The sample's tape; one entry per leaf applied.</param>
    public override void Sample(ref RandomStream random, ref ImageInfo shape, ParameterTape tape)
    {
        if (random.NextDouble() >= Options.P) return;
        foreach (var t in Items) t.Sample(ref random, ref shape, tape);
    }
}
