using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Transforms.Composition;

public sealed record RandomApplyOptions : CompositeOptions
{
    public override string Name => "random_apply";
    public override ITransform Create() => new RandomApply(this);

    [Option("probability that the transforms apply (all of them, in order, or none)", Min = 0, Max = 1)]
    public double P { get; init => field = Checked(value); } = 0.5;
}

/// <summary>With probability p, every child in order; otherwise nothing (torchvision's RandomApply).</summary>
public sealed class RandomApply(RandomApplyOptions options) : Composite<RandomApplyOptions>(options)
{
    public override void Sample(ref RandomStream random, ref ImageInfo shape, ParameterTape tape)
    {
        if (random.NextDouble() >= Options.P) return;
        foreach (var t in Items) t.Sample(ref random, ref shape, tape);
    }
}
