using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Transforms.Composition;

public sealed record RandomOrderOptions : CompositeOptions
{
    public override string Name => "random_order";
    public override ITransform Create() => new RandomOrder(this);
}

/// <summary>Every child, in an order drawn uniformly (Fisher–Yates) per image (torchvision's RandomOrder).</summary>
public sealed class RandomOrder(RandomOrderOptions options) : Composite<RandomOrderOptions>(options)
{
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
