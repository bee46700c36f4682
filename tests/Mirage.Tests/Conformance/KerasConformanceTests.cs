using Xunit.Abstractions;

namespace Mirage.Tests.Conformance;

/// <summary>KerasTransform.Apply against keras-preprocessing's apply_transform (see tools/keras_fixtures.py).</summary>
public class KerasConformanceTests(ITestOutputHelper output)
{
    private const double MinWithinOne = 0.995;
    private const double MaxMeanAbsDiff = 0.25;

    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in KerasFixtures.Cases()) data.Add(c.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void MatchesKeras(string id)
    {
        var c = KerasFixtures.Case(id);
        using var actual = KerasFixtures.RunMirage(c);
        using var expected = KerasFixtures.LoadExpected(c);
        Assert.Equal(expected.Info, actual.Info);
        var stats = KerasFixtures.Compare(actual.Span, expected.Span);
        output.WriteLine($"{id}: {stats}");
        Assert.True(stats.WithinOneFraction >= MinWithinOne && stats.MeanAbsDiff <= MaxMeanAbsDiff,
            $"{id} ({c.ParamsJson}, {c.Warp}): {stats}");
    }

    [Fact]
    public void AllCasesSummary()
    {
        var cases = KerasFixtures.Cases();
        Assert.NotEmpty(cases);
        (string Id, FixtureStats Stats)? worstWithin = null, worstMae = null;
        long values = 0;
        double within = 0, sum = 0;
        foreach (var c in cases)
        {
            using var actual = KerasFixtures.RunMirage(c);
            using var expected = KerasFixtures.LoadExpected(c);
            var s = KerasFixtures.Compare(actual.Span, expected.Span);
            values += s.Count;
            within += s.WithinOneFraction * s.Count;
            sum += s.MeanAbsDiff * s.Count;
            if (worstWithin is null || s.WithinOneFraction < worstWithin.Value.Stats.WithinOneFraction) worstWithin = (c.Id, s);
            if (worstMae is null || s.MeanAbsDiff > worstMae.Value.Stats.MeanAbsDiff) worstMae = (c.Id, s);
        }
        output.WriteLine($"{cases.Count} cases, {values} values: within 1.0 {within / values:P4}, mean |diff| {sum / values:F5}");
        output.WriteLine($"worst within-1: {worstWithin!.Value.Id}: {worstWithin.Value.Stats}");
        output.WriteLine($"worst mean |diff|: {worstMae!.Value.Id}: {worstMae.Value.Stats}");
        Assert.True(worstWithin.Value.Stats.WithinOneFraction >= MinWithinOne, $"worst case {worstWithin.Value.Id}: {worstWithin.Value.Stats}");
        Assert.True(worstMae.Value.Stats.MeanAbsDiff <= MaxMeanAbsDiff, $"worst case {worstMae.Value.Id}: {worstMae.Value.Stats}");
    }
}
