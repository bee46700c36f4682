using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Composition;
using Mirage.Transforms.Geometric;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Transforms.Composition;

/// <summary>Frequencies of the compositions against their weights: chi-square over 20,000 draws at the 99.9% point.</summary>
public class CompositionTests
{
    private const int Draws = 20_000;
    private static readonly ImageInfo Shape = ImageInfo.Create(8, 8, 3);

    /// <summary>Distinct markers: rotations by 1, 2, 3 … degrees with a zero range cannot be told apart, so each child is a shift of its own.</summary>
    private static TransformOptions Marker(int k) => new ShiftOptions { Height = k + 1 };

    private static List<string> Names(ParameterTape tape) => Enumerable.Range(0, tape.Count).Select(tape.NameAt).ToList();

    /// <summary>Which markers a tape holds, in order (the shift range identifies the child).</summary>
    private static List<int> Markers(ParameterTape tape) =>
        Enumerable.Range(0, tape.Count).Select(i => (int)((ShiftOptions)tape[i].Transform.Options).Height - 1).ToList();

    private static TransformPipeline Pipeline(TransformOptions root) => new(root);

    [Fact]
    public void OneOfPicksByWeight()
    {
        double[] weights = [0.5, 0.2, 0.2, 0.1];
        var p = Pipeline(new OneOfOptions { Transforms = [Marker(0), Marker(1), Marker(2), Marker(3)], Weights = weights });
        var counts = new int[4];
        var tape = new ParameterTape();
        for (int i = 0; i < Draws; i++)
        {
            var random = RandomStream.For(1, 0, i);
            p.Sample(ref random, Shape, tape);
            Assert.Equal(1, tape.Count);
            counts[Markers(tape)[0]]++;
        }
        Assert.True(Statistics.ChiSquare(counts, weights) < Statistics.ChiSquareCritical999(3), string.Join(",", counts));
    }

    [Fact]
    public void OneOfWithoutWeightsIsUniformAndWeightsAreNormalised()
    {
        var p = Pipeline(new OneOfOptions { Transforms = [Marker(0), Marker(1), Marker(2)], Weights = [7, 7, 14] });
        var counts = new int[3];
        for (int i = 0; i < Draws; i++)
        {
            var random = RandomStream.For(2, 0, i);
            counts[Markers(p.Sample(ref random, Shape))[0]]++;
        }
        Assert.True(Statistics.ChiSquare(counts, [0.25, 0.25, 0.5]) < Statistics.ChiSquareCritical999(2), string.Join(",", counts));
    }

    [Fact]
    public void SomeOfWithoutReplacementDrawsDistinctChildrenWithTheRightFrequencies()
    {
        // n = 2 of 3 with weights w: P(pair {i, j}) = w_i w_j / (1 − w_i) + w_j w_i / (1 − w_j)
        double[] w = [0.5, 0.3, 0.2];
        var p = Pipeline(new SomeOfOptions { Transforms = [Marker(0), Marker(1), Marker(2)], N = 2, Weights = w });
        var counts = new int[3]; // indexed by the child left out
        for (int i = 0; i < Draws; i++)
        {
            var random = RandomStream.For(3, 0, i);
            var m = Markers(p.Sample(ref random, Shape));
            Assert.Equal(2, m.Count);
            Assert.NotEqual(m[0], m[1]);
            counts[3 - m[0] - m[1]]++;
        }
        double Pair(int a, int b) => w[a] * w[b] / (1 - w[a]) + w[b] * w[a] / (1 - w[b]);
        double[] expected = [Pair(1, 2), Pair(0, 2), Pair(0, 1)];
        Assert.True(Statistics.ChiSquare(counts, expected) < Statistics.ChiSquareCritical999(2), string.Join(",", counts));
    }

    [Fact]
    public void SomeOfWithReplacementCountsFollowTheWeights()
    {
        double[] w = [0.6, 0.3, 0.1];
        var p = Pipeline(new SomeOfOptions { Transforms = [Marker(0), Marker(1), Marker(2)], N = 3, Replace = true, Weights = w });
        var counts = new int[3];
        bool repeated = false;
        for (int i = 0; i < Draws / 3; i++)
        {
            var random = RandomStream.For(4, 0, i);
            var m = Markers(p.Sample(ref random, Shape));
            Assert.Equal(3, m.Count);
            repeated |= m.Distinct().Count() < 3;
            foreach (var k in m) counts[k]++;
        }
        Assert.True(repeated);
        Assert.True(Statistics.ChiSquare(counts, w) < Statistics.ChiSquareCritical999(2), string.Join(",", counts));
    }

    [Fact]
    public void RandomApplyAppliesAllOrNoneWithProbabilityP()
    {
        var p = Pipeline(new RandomApplyOptions { Transforms = [Marker(0), Marker(1)], P = 0.3 });
        var counts = new int[2];
        for (int i = 0; i < Draws; i++)
        {
            var random = RandomStream.For(5, 0, i);
            var m = Markers(p.Sample(ref random, Shape));
            Assert.True(m.Count == 0 || m.SequenceEqual([0, 1]));
            counts[m.Count == 0 ? 0 : 1]++;
        }
        Assert.True(Statistics.ChiSquare(counts, [0.7, 0.3]) < Statistics.ChiSquareCritical999(1), string.Join(",", counts));
    }

    [Fact]
    public void RandomOrderGivesEveryOrderEqually()
    {
        var p = Pipeline(new RandomOrderOptions { Transforms = [Marker(0), Marker(1), Marker(2)] });
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < Draws; i++)
        {
            var random = RandomStream.For(6, 0, i);
            string key = string.Join("", Markers(p.Sample(ref random, Shape)));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        Assert.Equal(6, counts.Count);
        Assert.True(Statistics.ChiSquare(counts.Values.ToList(), Enumerable.Repeat(1.0 / 6, 6).ToArray()) < Statistics.ChiSquareCritical999(5));
    }

    [Fact]
    public void BadCompositionOptionsSayWhatToDo()
    {
        var e = Assert.Throws<ArgumentException>(() => new OneOfOptions { Transforms = [Marker(0)], Weights = [1, 2] }.Create());
        Assert.Contains("one_of: option 'weights' has 2 values but there are 1 transforms", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SomeOfOptions { Transforms = [Marker(0)], N = 2 }.Create());
        Assert.Contains("some_of: option 'n' is 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => new RandomApplyOptions { P = 1.5 });
        Assert.Contains("random_apply: option 'p' must be in [0, 1], got 1.5", e.Message);
        Assert.Throws<ArgumentException>(() => new SequentialOptions().Create());
    }

    [Fact]
    public void NamesOfAppliedTransformsAreRecordedInOrder()
    {
        var p = Pipeline(new SequentialOptions { Transforms = [new RotateOptions { Degrees = 10 }, new HorizontalFlipOptions(), Marker(0)] });
        var random = new RandomStream(1);
        Assert.Equal(["rotate", "horizontal_flip", "shift"], Names(p.Sample(ref random, Shape)));
    }
}
