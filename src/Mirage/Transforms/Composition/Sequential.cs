using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Transforms.Composition;

/// <summary>Options of <see cref="Sequential"/>: JSON <c>{"name": "sequential", "transforms": [...]}</c>; a pipeline
/// config's top-level <c>{"transforms": [...]}</c> is one.</summary>
public sealed record SequentialOptions : CompositeOptions
{
    /// <summary><c>sequential</c>.</summary>
    public override string Name => "sequential";
    /// <summary>A new <see cref="Sequential"/>.</summary>
    /// <exception cref="ArgumentException">There are no children.</exception>
    public override ITransform Create() => new Sequential(this);
}

/// <summary>Every child, in order (a pipeline's top level is one).</summary>
/// <param name="options">The options; at least one child.</param>
public sealed class Sequential(SequentialOptions options) : Composite<SequentialOptions>(options)
{
    /// <summary>Samples every child, in order.</summary>
    /// <param name="random">The sample's stream; advanced by the choice and by the children's draws.</param>
    /// <param name="shape">In: the shape received. Out: the shape after the children applied.</param>
    /// <param name="tape">The sample's tape; one entry per leaf applied.</param>
    public override void Sample(ref RandomStream random, ref ImageInfo shape, ParameterTape tape)
    {
        foreach (var t in Items) t.Sample(ref random, ref shape, tape);
    }
}
