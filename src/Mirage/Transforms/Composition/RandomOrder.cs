using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Transforms.Composition;

/// <summary>Options of <see cref="RandomOrder"/>: JSON <c>{"name": "random_order", "transforms": [...]}</c>.</summary>
public sealed record RandomOrderOptions : CompositeOptions
{
    /// <summary><c>random_order</c>.</summary>
    public override string Name => "random_order";
    /// <summary>A new <see cref="RandomOrder"/>.</summary>
    /// <exception cref="ArgumentException">There are no children.</exception>
    public override ITransform Create() => new RandomOrder(this);
}

/// <summary>Every child, in an order drawn uniformly (Fisher–Yates) per image (torchvision's RandomOrder).</summary>
/// <param name="options">The options; at least one child.</param>
public sealed class RandomOrder(RandomOrderOptions options) : Composite<RandomOrderOptions>(options)
{
    /// <summary>Draws an order (n − 1 draws), then samples every child in it.</summary>
    /// <param name="random">The sample's stream; advanced by the choice and by the children's draws.</param>
    /// <param name="shape">In: the shape received. Out: the shape after the children applied.</param>
    /// <param name="tape">The sample's tape; one entry per leaf applied.</param>
    public override void Sample(ref RandomStream random, ref ImageInfo shape, ParameterTape tape)
    {
        int n = Items.Length;
        Span<int> order = n <= 64 ? stackalloc int[n] : new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        foreach (int i in order) Items[i].Sample(ref random, ref shape, tape);
    }
}
