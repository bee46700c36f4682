using Xunit.Abstractions;

namespace Mirage.Tests.Conformance;

/// <summary>KerasTransform.Apply against keras-preprocessing's apply_transform (see tools/keras_fixtures.py).</summary>
public class KerasConformanceTests(ITestOutputHelper output)
{
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
        Assert.True(KerasFixtures.Conforms(stats), $"{id} ({c.ParamsJson}, {c.Warp}): {stats}");
    }

    [Fact]
    public void AllCasesSummary()
    {
        var cases = KerasFixtures.Cases();
        Assert.NotEmpty(cases);
        foreach (var group in cases.GroupBy(c => c.KerasCompatible))
        {
            long values = 0, exact = 0;
            (string Id, double Max) worst = ("", 0);
            foreach (var c in group)
            {
                using var actual = KerasFixtures.RunMirage(c);
                using var expected = KerasFixtures.LoadExpected(c);
                var s = KerasFixtures.Compare(actual.Span, expected.Span);
                values += s.Count;
                for (int i = 0; i < s.Count; i++) exact += actual.Span[i] == expected.Span[i] ? 1 : 0;
                if (s.MaxAbsDiff >= worst.Max) worst = (c.Id, s.MaxAbsDiff);
            }
            output.WriteLine($"{(group.Key ? "KerasCompatible" : "default mode")}: {group.Count()} cases, {values} values, " +
                             $"{(double)exact / values:P4} bit-equal, worst max |diff| {worst.Max:G4} ({worst.Id})");
        }
    }
}
