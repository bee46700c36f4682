using System.Text.Json;
using Mirage.Data;
using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Tests.Data;
using Mirage.Transforms;

namespace Mirage.Tests.Randomness;

/// <summary>
/// Every place that shuffles or splits draws from <see cref="Permutation"/>: uniformity is checked on the helper and
/// again through each caller (epoch order, shuffled validation split), and one seed's order is pinned per caller.
/// Thresholds are the chi-square quantiles at p = 1e-9 (scipy.stats.chi2.isf(1e-9, df)): a correct Fisher–Yates
/// passes with overwhelming probability, while the forced-move variant (NextInt(i)) and the shortened loop (i > 1)
/// score in the thousands. The seeds are fixed, so each test is deterministic.
/// </summary>
public class PermutationTests
{
    private static double ChiSquare(long[] observed, double expected) =>
        observed.Sum(o => (o - expected) * (o - expected) / expected);

    /// <summary>Counts of element e at position p over the given orders, flattened p·n + e.</summary>
    private static long[] PositionElementCounts(int n, IEnumerable<int[]> orders)
    {
        var counts = new long[n * n];
        foreach (var order in orders)
        {
            Assert.Equal(n, order.Length);
            for (int p = 0; p < n; p++) counts[p * n + order[p]]++;
        }
        return counts;
    }

    // df = (n − 1)²: quantiles at p = 1e-9.
    private const double Chi2Df25 = 92.78, Chi2Df23 = 89.12, Chi2Df20 = 83.48, Chi2Df6 = 53.34;

    [Fact]
    public void EveryElementLandsInEveryPositionEquallyOften()
    {
        const int n = 6, trials = 12_000;
        var counts = PositionElementCounts(n, Enumerable.Range(0, trials).Select(s => Permutation.Of(n, new RandomStream((ulong)s))));
        Assert.True(ChiSquare(counts, (double)trials / n) < Chi2Df25, $"chi² = {ChiSquare(counts, (double)trials / n):F1} ≥ {Chi2Df25}: {string.Join(",", counts)}");
    }

    [Fact]
    public void AllOrdersOfFourAreEquallyLikely()
    {
        const int trials = 24_000;
        var counts = new long[24];
        for (int s = 0; s < trials; s++)
        {
            var p = Permutation.Of(4, new RandomStream((ulong)s));
            int rank = 0;
            for (int i = 0; i < 4; i++) rank = rank * (4 - i) + p.Skip(i + 1).Count(x => x < p[i]); // Lehmer code: 0..23
            counts[rank]++;
        }
        Assert.True(ChiSquare(counts, trials / 24.0) < Chi2Df23, $"chi² = {ChiSquare(counts, trials / 24.0):F1}: {string.Join(",", counts)}");
    }

    [Fact]
    public void TheCallersStreamIsNotAdvanced()
    {
        var random = new RandomStream(5);
        var before = random;
        _ = Permutation.Of(10, random);
        Assert.Equal(before.NextUInt64(), random.NextUInt64());
        Assert.Equal([0], Permutation.Of(1, random));
        Assert.Empty(Permutation.Of(0, random));
    }

    [Fact]
    public void EpochShuffleIsUniformOverEpochs()
    {
        const int n = 6, epochs = 12_000;
        using var it = new BatchIterator<float>(new CountingSource(n), null, new FlowOptions { Seed = 17, BatchSize = n });
        var counts = PositionElementCounts(n, Enumerable.Range(0, epochs).Select(e => it.EpochOrder(e).ToArray()));
        Assert.True(ChiSquare(counts, (double)epochs / n) < Chi2Df25, $"chi² = {ChiSquare(counts, (double)epochs / n):F1}: {string.Join(",", counts)}");
    }

    [Fact]
    public void EpochShuffleGoldenOrderForSeed42()
    {
        using var it = new BatchIterator<float>(new CountingSource(12), null, new FlowOptions { Seed = 42 });
        Assert.Equal([11, 8, 9, 0, 5, 10, 2, 1, 7, 6, 4, 3], it.EpochOrder(0).ToArray());
        Assert.Equal([4, 1, 3, 9, 6, 11, 2, 7, 5, 0, 10, 8], it.EpochOrder(1).ToArray());
        Assert.Equal([1, 8, 10, 4, 0, 2, 9, 3, 5, 7, 6, 11], it.EpochOrder(2).ToArray());
        Assert.Equal([9, 1, 4, 5, 10, 0, 3, 6, 7, 11, 8, 2], it.EpochOrder(3).ToArray());
    }

    [Fact]
    public void ShuffledSplitPicksEveryPairEquallyOften()
    {
        // 7 items, validation_split 0.3 → 2 validation items: each of the 21 pairs equally likely, whatever the seed.
        const int n = 7, trials = 21_000;
        var counts = new Dictionary<(int, int), long>();
        for (int s = 0; s < trials; s++)
        {
            var v = ImageFiles.Split(n, 0.3, Subset.Validation, SplitMode.Shuffled, (ulong)s);
            var t = ImageFiles.Split(n, 0.3, Subset.Training, SplitMode.Shuffled, (ulong)s);
            Assert.Equal(2, v.Length);
            Assert.Equal(Enumerable.Range(0, n), v.Concat(t).Order());
            counts[(v[0], v[1])] = counts.GetValueOrDefault((v[0], v[1])) + 1;
        }
        Assert.Equal(21, counts.Count);
        var observed = counts.Values.ToArray();
        Assert.True(ChiSquare(observed, trials / 21.0) < Chi2Df20, $"chi² = {ChiSquare(observed, trials / 21.0):F1}: {string.Join(",", counts)}");
    }

    [Fact]
    public void ShuffledSplitOfOneIsUniform()
    {
        // A single validation item: the first position of the permutation, so the last Fisher–Yates step matters.
        const int n = 7, trials = 14_000;
        var counts = new long[n];
        for (int s = 0; s < trials; s++) counts[ImageFiles.Split(n, 0.15, Subset.Validation, SplitMode.Shuffled, (ulong)s).Single()]++;
        Assert.True(ChiSquare(counts, trials / (double)n) < Chi2Df6, $"chi² = {ChiSquare(counts, trials / (double)n):F1}: {string.Join(",", counts)}");
    }

    [Fact]
    public void ShuffledSplitGoldenForSeed42()
    {
        Assert.Equal(Enumerable.Range(0, 20).Except([5, 7, 11, 13, 19]), ImageFiles.Split(20, 0.25, Subset.Training, SplitMode.Shuffled, seed: 42));
        Assert.Equal([5, 7, 11, 13, 19], ImageFiles.Split(20, 0.25, Subset.Validation, SplitMode.Shuffled, seed: 42));
        Assert.Equal([0, 1, 2, 9, 11], ImageFiles.Split(20, 0.25, Subset.Validation, SplitMode.Shuffled, seed: 42, stream: 1));
    }

    /// <summary>Records one integer draw per variant as theta, so the manifest shows which stream each variant got.</summary>
    private sealed class DrawRecorder : ISampleAugmenter
    {
        public TransformParameters Sample(ImageInfo shape, ref RandomStream random) => new() { Theta = random.NextInt(1_000_000) };
        public void Apply(Image<float> src, Image<float> dst, in TransformParameters parameters) => src.Span.CopyTo(dst.Span);
        public void Standardize(Image<float> x) { }
    }

    [Fact]
    public void AugmentVariantStreamsGoldenForSeed42()
    {
        using var t = new TempDir();
        FakeCodec.Write(t["src/cats/a.png"], 2, 3, 3, 1);
        FakeCodec.Write(t["src/dogs/b.png"], 2, 3, 3, 2);
        var summary = AugmentRunner.Run(t["src"], t["out"], new DrawRecorder(), new AugmentOptions
        {
            PerImage = 3, Seed = 42, Workers = 1, Decoder = FakeCodec.Decode,
            Encoder = (img, stream, fmt) => stream.Write(img.Span),
        });
        var draws = File.ReadLines(summary.ManifestPath).Select(l =>
        {
            using var d = JsonDocument.Parse(l);
            var r = d.RootElement;
            return $"{r.GetProperty("source").GetString()}#{r.GetProperty("variant").GetInt32()}={r.GetProperty("params").GetProperty("theta").GetDouble()}";
        }).ToArray();
        Assert.Equal(["cats/a.png#0=999267", "cats/a.png#1=115714", "cats/a.png#2=567161",
                      "dogs/b.png#0=146884", "dogs/b.png#1=4509", "dogs/b.png#2=109123"], draws);
    }
}
