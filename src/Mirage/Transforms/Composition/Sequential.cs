using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Transforms.Composition;

public sealed record SequentialOptions : CompositeOptions
{
    public override string Name => "sequential";
    public override ITransform Create() => new Sequential(this);
}

/// <summary>Every child, in order (a pipeline's top level is one).</summary>
public sealed class Sequential(SequentialOptions options) : Composite<SequentialOptions>(options)
{
    public override void Sample(ref RandomStream random, ref ImageInfo shape, ParameterTape tape)
    {
        foreach (var t in Items) t.Sample(ref random, ref shape, tape);
    }
}
