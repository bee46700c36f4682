using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.TorchSharp.Experiments;

namespace Mirage.TorchSharp.Tests.Experiments;

public class ExperimentTests
{
    /// <summary>Dark (class 0) and bright (class 1) 8×8 images in 0..255, channels-last, as the experiment holds them.</summary>
    private static (ImageArray X, float[] Y) Set(int count, ulong seed)
    {
        var (x, classes) = Toy.DarkAndBright(count, size: 8, channels: 1, seed: seed);
        var data = x.Data.Select(v => v * 255f).ToArray();
        return (new ImageArray(data, count, 8, 8, 1), classes.Select(c => (float)c).ToArray());
    }

    private static ExperimentData Tiny()
    {
        var (trainX, trainY) = Set(40, 1);
        var (valX, valY) = Set(20, 2);
        var (testX, testY) = Set(30, 3);
        return new ExperimentData("tiny", ["dark", "bright"], trainX, trainY, valX, valY, testX, testY);
    }

    [Fact]
    public void EachArmAndSeedRunsWithTheProtocolsStepsAndScoresTheTestSet()
    {
        var options = new ExperimentOptions { Epochs = 2, Seeds = [1, 2], BatchSize = 8 };
        var runs = Experiment.Run(Tiny(), [ExperimentArm.BuiltIn("none"), ExperimentArm.BuiltIn("flip")], options).ToList();

        Assert.Equal(["none/1", "none/2", "flip/1", "flip/2"], runs.Select(r => $"{r.Arm}/{r.Seed}"));
        foreach (var r in runs)
        {
            Assert.Equal(2, r.History.Epochs.Count);
            // none: one pass (40 / 8 = 5 steps); with a generator: 2 × N samples = 80 / 8 = 10 steps.
            Assert.All(r.History.Epochs, e => Assert.Equal(r.Arm == "none" ? 5 : 10, e.Steps));
            Assert.All(r.History.Epochs, e => Assert.NotNull(e.ValMacroF1));
            Assert.InRange(r.MacroF1, 0, 1);
            Assert.InRange(r.DataWaitFraction, 0, 1);
            Assert.True(r.Seconds > 0);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameScoresAndTheModelLearnsAnEasyTask()
    {
        var options = new ExperimentOptions { Epochs = 6, Seeds = [5], BatchSize = 8 };
        var arms = new[] { ExperimentArm.BuiltIn("reference") };
        var a = Experiment.Run(Tiny(), arms, options).Single();
        var b = Experiment.Run(Tiny(), arms, options).Single();
        Assert.Equal(a.MacroF1, b.MacroF1);
        Assert.Equal(a.History["loss"], b.History["loss"]);
        Assert.True(a.MacroF1 > 0.9, $"dark vs bright should be learnt under geometric augmentation; macro-F1 {a.MacroF1}");
    }

    [Fact]
    public void APreprocessingFunctionRunsOnTheScoredImagesToo()
    {
        int calls = 0;
        var arm = new ExperimentArm("count", new ImageDataGeneratorOptions { PreprocessingFunction = _ => Interlocked.Increment(ref calls) });
        // No worker: a worker would build (and preprocess) batches ahead of the last step.
        Experiment.Run(Tiny(), [arm], new ExperimentOptions { Epochs = 1, Seeds = [1], BatchSize = 8, Workers = 0 }).Single();
        // 2 × 40 training draws, plus the 20 validation and 30 test images once each.
        Assert.Equal(80 + 20 + 30, calls);
    }

    [Fact]
    public void BuiltInArmsAreTheProtocolsAndUnknownNamesSayWhatExists()
    {
        Assert.Null(ExperimentArm.BuiltIn("none").Augmentation);
        Assert.True(ExperimentArm.BuiltIn("flip").Augmentation!.HorizontalFlip);
        var mild = ExperimentArm.BuiltIn("mild").Augmentation!;
        Assert.Equal((10.0, 0.9, 1.1), (mild.RotationRange, mild.ZoomRange.Low, mild.ZoomRange.High));
        var reference = ExperimentArm.BuiltIn("reference").Augmentation!;
        Assert.Equal((40.0, 0.2, 0.8, 1.2), (reference.RotationRange, reference.ShearRange, reference.ZoomRange.Low, reference.ZoomRange.High));
        Assert.Equal(0.03, Preprocessing.Describe(ExperimentArm.BuiltIn("clahe").Augmentation!.PreprocessingFunction)!.Parameters.ClipLimit);
        var e = Assert.Throws<ArgumentException>(() => ExperimentArm.Parse("refrence"));
        Assert.Contains("none, flip, mild, reference, clahe", e.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => ExperimentArm.Parse("/nonexistent/arm.json"));
        Assert.Contains("--arms", missing.Message);
    }

    [Fact]
    public void AConfigFileIsAnArmNamedAfterIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mirage-arm-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"rotation_range": 15, "horizontal_flip": true}""");
        try
        {
            var arm = ExperimentArm.Parse(path);
            Assert.Equal(Path.GetFileNameWithoutExtension(path), arm.Name);
            Assert.Equal(15, arm.Augmentation!.RotationRange);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void TheBalancedPickIsDisjointPerClassAndFixedBySeed()
    {
        var labels = Enumerable.Range(0, 300).Select(i => i % 3).ToArray();
        var (train, val) = ExperimentData.BalancedPick(labels, 20, 10, seed: 0, "test");
        Assert.Equal(60, train.Length);
        Assert.Equal(30, val.Length);
        Assert.Empty(train.Intersect(val));
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(20, train.Count(i => labels[i] == c)));
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(10, val.Count(i => labels[i] == c)));
        Assert.Equal(train, ExperimentData.BalancedPick(labels, 20, 10, seed: 0, "test").First);
        Assert.NotEqual(train, ExperimentData.BalancedPick(labels, 20, 10, seed: 1, "test").First);
        var e = Assert.Throws<ArgumentException>(() => ExperimentData.BalancedPick(labels, 101, 0, 0, "tree"));
        Assert.Contains("class 0 has 100 images", e.Message);
    }

    [Fact]
    public void FashionMnistSubsetIsClassBalancedWithTheFullTestSet()
    {
        var data = ExperimentData.FashionMnist(Mirage.Data.FashionMnist.DefaultDirectory, trainPerClass: 119, validationPerClass: 10);
        Assert.Equal(1190, data.TrainX.Count);
        Assert.Equal(100, data.ValidationX.Count);
        Assert.Equal(10000, data.TestX.Count);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(119, data.TrainY.Count(y => y == c)));
        Assert.Equal((28, 28, 1), (data.TrainX.Height, data.TrainX.Width, data.TrainX.Channels));
    }
}
