using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Composition;
using Mirage.Transforms.Geometric;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Transforms.Composition;

/// <summary>Edges of the compositions: zero weights, probabilities 0 and 1, n = 0, errors, children.</summary>
public class CompositeEdgeTests
{
    private static readonly ImageInfo Shape = ImageInfo.Create(8, 8, 3);

    private static TransformOptions Marker(int k) => new ShiftOptions { Height = k + 1 };

    private static List<int> Markers(ParameterTape tape) =>
        Enumerable.Range(0, tape.Count).Select(i => (int)((ShiftOptions)tape[i].Transform.Options).Height - 1).ToList();

    private static List<int> Run(TransformOptions root, int i)
    {
        var random = RandomStream.For(77, 0, i);
        return Markers(new TransformPipeline(root).Sample(ref random, Shape));
    }

    [Fact]
    public void A_zero_weight_is_never_picked()
    {
        for (int i = 0; i < 300; i++)
        {
            Assert.Equal([1], Run(new OneOfOptions { Transforms = [Marker(0), Marker(1)], Weights = [0, 3] }, i));
            Assert.NotEqual([1], Run(new OneOfOptions { Transforms = [Marker(0), Marker(1), Marker(2)], Weights = [2, 0, 2] }, i));
            Assert.Equal([1, 2], Run(new SomeOfOptions { Transforms = [Marker(0), Marker(1), Marker(2)], N = 2, Weights = [0, 1, 1] }, i).Order());
            Assert.Equal([0, 2], Run(new SomeOfOptions { Transforms = [Marker(0), Marker(1), Marker(2)], N = 2, Weights = [1, 0, 1] }, i).Order());
            Assert.Equal([0, 1], Run(new SomeOfOptions { Transforms = [Marker(0), Marker(1), Marker(2)], N = 2, Weights = [1, 1, 0] }, i).Order());
            Assert.DoesNotContain(1, Run(new SomeOfOptions { Transforms = [Marker(0), Marker(1), Marker(2)], N = 4, Replace = true, Weights = [1, 0, 1] }, i));
        }
    }

    [Fact]
    public void Some_of_all_without_replacement_takes_each_once()
    {
        for (int i = 0; i < 200; i++)
            Assert.Equal([0, 1, 2, 3], Run(new SomeOfOptions { Transforms = [Marker(0), Marker(1), Marker(2), Marker(3)], N = 4, Weights = [5, 1, 0.5, 2] }, i).Order());
    }

    [Fact]
    public void Some_of_zero_applies_nothing()
    {
        Assert.Empty(Run(new SomeOfOptions { Transforms = [Marker(0)], N = 0 }, 0));
        Assert.Empty(Run(new SomeOfOptions { Transforms = [Marker(0)], N = 0, Replace = true }, 0));
    }

    [Fact]
    public void Some_of_with_replacement_may_take_more_than_there_are()
    {
        var m = Run(new SomeOfOptions { Transforms = [Marker(0)], N = 3, Replace = true }, 0);
        Assert.Equal([0, 0, 0], m);
    }

    [Fact]
    public void Random_apply_at_zero_and_one()
    {
        for (int i = 0; i < 200; i++)
        {
            Assert.Empty(Run(new RandomApplyOptions { Transforms = [Marker(0)], P = 0 }, i));
            Assert.Equal([0, 1], Run(new RandomApplyOptions { Transforms = [Marker(0), Marker(1)], P = 1 }, i));
        }
    }

    [Fact]
    public void Sequential_applies_every_child_in_order() =>
        Assert.Equal([2, 0, 1], Run(new SequentialOptions { Transforms = [Marker(2), Marker(0), Marker(1)] }, 0));

    [Fact]
    public void Many_children_still_work()
    {
        var many = Enumerable.Range(0, 70).Select(Marker).ToArray();
        var order = Run(new RandomOrderOptions { Transforms = many }, 3);
        Assert.Equal(Enumerable.Range(0, 70), order.Order());
        Assert.NotEqual(Enumerable.Range(0, 70), order);
        var some = Run(new SomeOfOptions { Transforms = many, N = 70 }, 3);
        Assert.Equal(Enumerable.Range(0, 70), some.Order());
    }

    [Fact]
    public void Weights_must_have_a_positive_sum()
    {
        var e = Assert.Throws<ArgumentException>(() => new OneOfOptions { Transforms = [Marker(0), Marker(1)], Weights = [0, 0] }.Create());
        Assert.Contains("one_of: option 'weights' must have a positive sum.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SomeOfOptions { Transforms = [Marker(0), Marker(1)], Weights = [0, 0], N = 0 }.Create());
        Assert.Contains("some_of: option 'weights' must have a positive sum.", e.Message);
    }

    [Fact]
    public void Some_of_without_replacement_needs_enough_positive_weights()
    {
        var e = Assert.Throws<ArgumentException>(() => new SomeOfOptions { Transforms = [Marker(0), Marker(1), Marker(2)], N = 3, Weights = [1, 0, 1] }.Create());
        Assert.Contains("some_of: option 'n' is 3 but only 2 transforms have a positive weight.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SomeOfOptions { Transforms = [Marker(0), Marker(1)], N = 3 }.Create());
        Assert.Contains("some_of: option 'n' is 3 but there are only 2 transforms", e.Message);
        Assert.NotNull(new SomeOfOptions { Transforms = [Marker(0), Marker(1)], N = 2 }.Create());
        Assert.NotNull(new SomeOfOptions { Transforms = [Marker(0), Marker(1)], N = 3, Replace = true, Weights = [0, 1] }.Create());
    }

    [Fact]
    public void A_composition_needs_options_and_children()
    {
        Assert.Throws<ArgumentNullException>(() => new Sequential(null!));
        var e = Assert.Throws<ArgumentException>(() => new RandomOrderOptions().Create());
        Assert.Contains("random_order: option 'transforms' needs at least one transform.", e.Message);
    }

    [Fact]
    public void Children_are_built_from_the_options_in_order()
    {
        var t = (Sequential)new SequentialOptions { Transforms = [new RotateOptions { Degrees = 3 }, Marker(0)] }.Create();
        Assert.Equal(["rotate", "shift"], t.Children.Select(c => c.Name));
        Assert.Equal("sequential", t.Name);
        Assert.Equal(3, ((RotateOptions)t.Children[0].Options).Degrees);
        Assert.Same(t.Options, ((ITransform)t).Options);
    }
    [Fact]
    public void Without_weights_every_child_is_equally_likely()
    {
        var counts = new int[3];
        var someCounts = new int[3];
        for (int i = 0; i < 6000; i++)
        {
            counts[Run(new OneOfOptions { Transforms = [Marker(0), Marker(1), Marker(2)] }, i)[0]]++;
            someCounts[Run(new SomeOfOptions { Transforms = [Marker(0), Marker(1), Marker(2)], N = 1 }, i)[0]]++;
        }
        double[] third = [1.0 / 3, 1.0 / 3, 1.0 / 3];
        Assert.True(Statistics.ChiSquare(counts, third) < Statistics.ChiSquareCritical999(2), string.Join(",", counts));
        Assert.True(Statistics.ChiSquare(someCounts, third) < Statistics.ChiSquareCritical999(2), string.Join(",", someCounts));
    }
    [Fact]
    public void Random_order_shuffles_then_each_child_draws_in_the_new_order()
    {
        var children = new[] { new ShiftOptions { Height = 1, Width = 2 }, new ShiftOptions { Height = 2, Width = 2 }, new ShiftOptions { Height = 3, Width = 2 } };
        var random = new RandomStream(31);
        var replay = random;
        var tape = new TransformPipeline(new RandomOrderOptions { Transforms = children }).Sample(ref random, Shape);
        int[] order = [0, 1, 2];
        for (int i = 2; i > 0; i--)
        {
            int j = replay.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        for (int k = 0; k < 3; k++)
        {
            var expected = new Shift(children[order[k]]).Sample(ref replay, Shape);
            Assert.Equal(expected, tape.ParametersAt<ShiftParams>(k));
            Assert.Equal(order[k] + 1, ((ShiftOptions)tape[k].Transform.Options).Height);
        }
        Assert.Equal(replay.NextDouble(), random.NextDouble());
    }
}
