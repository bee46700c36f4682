
namespace Mirage.TorchSharp.Tests;

public class MetricsTests
{
    [Fact]
    public void AccuracyAndMacroF1MatchTheHandComputedValues()
    {
        // labels   0 0 1 1 2 2, predictions 0 1 1 1 2 0
        // F1: class 0 = 2·1/(2·1+1+1) = 0.5, class 1 = 2·2/(2·2+1+0) = 0.8, class 2 = 2·1/(2·1+0+1) = 2/3
        var m = new ConfusionMatrix(3);
        m.Add([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0]);
        Assert.Equal(4.0 / 6, m.Accuracy, 12);
        Assert.Equal(0.5, m.F1(0), 12);
        Assert.Equal(0.8, m.F1(1), 12);
        Assert.Equal(2.0 / 3, m.F1(2), 12);
        Assert.Equal((0.5 + 0.8 + 2.0 / 3) / 3, m.MacroF1, 12); // sklearn f1_score(average="macro") = 0.6555…
    }

    [Fact]
    public void MacroF1IgnoresClassesThatNeverOccurAndCountsMissedOnesAsZero()
    {
        var m = new ConfusionMatrix(10); // classes 3..9 never appear: not averaged in (as scikit-learn)
        m.Add([0, 0, 1, 1], [0, 0, 0, 0]);
        // class 0: tp 2, fp 2 → 4/6; class 1: never predicted right → 0
        Assert.Equal((4.0 / 6 + 0) / 2, m.MacroF1, 12);
        Assert.Equal(0.5, m.Accuracy, 12);
    }

    [Fact]
    public void GrowsToClassesItMeetsAndIsZeroWhenEmpty()
    {
        var m = new ConfusionMatrix(2);
        Assert.Equal(0, m.MacroF1);
        Assert.Equal(0, m.Accuracy);
        m.Add(4, 4);
        Assert.Equal(5, m.Classes);
        Assert.Equal(1, m.MacroF1);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(-1, 0));
    }
}
