using System.Diagnostics;
using Mirage.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Mirage.TorchSharp.Tests;

public class TrainerTests
{
    private static FitOptions Quiet => new() { Progress = ProgressMode.None };

    [Fact]
    public void ATinyModelLearnsATriviallySeparableDataset()
    {
        var (x, classes) = Toy.DarkAndBright(64);
        var (vx, vclasses) = Toy.DarkAndBright(32, seed: 99);
        using var train = Toy.Iterator(x, classes, batchSize: 8, workers: 1);
        using var val = Toy.Iterator(vx, vclasses, batchSize: 16, shuffle: false);
        var model = Toy.Linear(64);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), 0.05), Losses.CrossEntropy);
        var history = trainer.Fit(train, Quiet with { Epochs = 12, Validation = ValidationData.From(val) });
        Assert.Equal(12, history.Epochs.Count);
        var last = history.Epochs[^1];
        Assert.True(last.ValAccuracy >= 0.95, $"val accuracy {last.ValAccuracy}; losses {string.Join(", ", history.Epochs.Select(e => $"{e.Loss:F3}/{e.ValLoss:F3}/{e.Accuracy:F2}"))}");
        Assert.True(last.ValMacroF1 >= 0.95, $"val macro-F1 {last.ValMacroF1}");
        Assert.True(last.Loss < history.Epochs[0].Loss, "the loss went down");
        Assert.All(history.Epochs, e => Assert.InRange(e.DataWaitFraction, 0, 1));
        Assert.All(history.Epochs, e => Assert.True(e.Seconds > 0));
        var eval = trainer.Evaluate(val);
        Assert.Equal(32, eval.Samples);
        Assert.Equal(last.ValAccuracy!.Value, eval.Accuracy, 12);
        var fromArrays = trainer.Evaluate(ValidationData.FromArrays(vx, vclasses.Select(c => (float)c).ToArray(), batchSize: 5));
        Assert.Equal(eval.Loss, fromArrays.Loss, 5); // float class indices, other batching: the same numbers
        Assert.Equal(eval.MacroF1, fromArrays.MacroF1, 12);
    }

    [Fact]
    public void SamplesPerEpochSetsTheSteps()
    {
        Assert.Equal(7, new FitOptions { SamplesPerEpoch = 2 * 25 }.StepsFor(4, 8)); // ceil(50 / 8)
        Assert.Equal(3, new FitOptions { StepsPerEpoch = 3, SamplesPerEpoch = 1000 }.StepsFor(4, 8));
        Assert.Equal(4, new FitOptions().StepsFor(4, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FitOptions { SamplesPerEpoch = 0 }.StepsFor(4, 8));

        var (x, classes) = Toy.DarkAndBright(25);
        using var train = Toy.Iterator(x, classes, batchSize: 8);
        var model = Toy.Linear(64);
        var history = new Trainer(model, optim.SGD(model.parameters(), 0.01), Losses.CrossEntropy)
            .Fit(train, Quiet with { Epochs = 2, SamplesPerEpoch = 50 });
        Assert.All(history.Epochs, e => Assert.Equal(7, e.Steps));
        // 14 batches from a 4-batch epoch (8, 8, 8, 1): 3 passes (75 samples) + 8 + 8 = 91 samples over the two epochs
        Assert.Equal(91, history.Epochs.Sum(e => e.Samples));
    }

    [Fact]
    public void AFiniteIteratorThatRunsOutSaysWhatToDo()
    {
        var (x, classes) = Toy.DarkAndBright(8);
        using var train = Toy.Iterator(x, classes, batchSize: 8, epochs: 1);
        var model = Toy.Linear(64);
        var e = Assert.Throws<InvalidOperationException>(() =>
            new Trainer(model, optim.SGD(model.parameters(), 0.01), Losses.CrossEntropy).Fit(train, Quiet with { Epochs = 2 }));
        Assert.Contains("Epochs = null", e.Message);
    }

    [Fact]
    public void ClassWeightsScaleEachSamplesLoss()
    {
        // A zeroed linear model outputs equal logits: every sample's cross-entropy is ln 2, so with a learning rate of 0
        // the epoch loss is ln 2 × the mean weight.
        var (x, classes) = Toy.DarkAndBright(10);
        double Run(IReadOnlyDictionary<int, double>? weights, float[]? sampleWeights = null)
        {
            using var train = Toy.Iterator(x, classes, batchSize: 4, weights: sampleWeights);
            var model = Toy.Linear(64);
            using (no_grad()) foreach (var p in model.parameters()) p.zero_();
            var trainer = new Trainer(model, optim.SGD(model.parameters(), 0), Losses.CrossEntropy);
            return trainer.Fit(train, Quiet with { ClassWeights = weights }).Epochs[0].Loss;
        }
        Assert.Equal(Math.Log(2), Run(null), 5);
        Assert.Equal(Math.Log(2) * (5 * 1 + 5 * 3) / 10, Run(new Dictionary<int, double> { [1] = 3 }), 5);
        Assert.Equal(Math.Log(2) * (5 * 0.5 + 5 * 2) / 10, Run(new Dictionary<int, double> { [0] = 0.5, [1] = 2 }), 5);
        var sw = Enumerable.Range(0, 10).Select(i => (float)(i + 1)).ToArray(); // classes alternate 0, 1
        double expected = Math.Log(2) * Enumerable.Range(0, 10).Sum(i => sw[i] * (i % 2 == 1 ? 3.0 : 1.0)) / 10;
        Assert.Equal(expected, Run(new Dictionary<int, double> { [1] = 3 }, sw), 5);
    }

    [Fact]
    public void TheSameSeedReproducesTheRun()
    {
        var (x, classes) = Toy.DarkAndBright(32);
        double[] Run()
        {
            using var train = Toy.Iterator(x, classes, batchSize: 8, workers: 2);
            Trainer.Seed(5);
            var model = nn.Sequential(("flatten", nn.Flatten()), ("fc1", nn.Linear(64, 16)), ("drop", nn.Dropout(0.5)), ("fc2", nn.Linear(16, 2)));
            var history = new Trainer(model, optim.Adam(model.parameters(), 0.01), Losses.CrossEntropy).Fit(train, Quiet with { Epochs = 3, Seed = 11 });
            return history.Epochs.Select(e => e.Loss).ToArray();
        }
        var a = Run();
        Assert.Equal(a, Run());
    }

    [Fact]
    public void PredictReturnsOutputsInDatasetOrder()
    {
        var (x, classes) = Toy.DarkAndBright(10);
        using var data = Toy.Iterator(x, classes, batchSize: 4, shuffle: false);
        var model = Toy.Linear(64);
        var trainer = new Trainer(model, optim.SGD(model.parameters(), 0.01), Losses.CrossEntropy);
        using var predicted = trainer.Predict(data);
        using var all = tensor(x.Data, [10, 1, 8, 8]);
        using var direct = model.call(all);
        Assert.Equal(new long[] { 10, 2 }, predicted.shape);
        Assert.True(predicted.allclose(direct, 1e-5, 1e-6));
    }

    [Fact]
    public void EvaluateOnTensorsMatchesAHandComputedLoss()
    {
        var (x, classes) = Toy.DarkAndBright(6);
        using var xs = tensor(x.Data, [6, 1, 8, 8]);
        using var ys = tensor(classes.Select(c => (long)c).ToArray());
        var model = Toy.Linear(64);
        var result = new Trainer(model, optim.SGD(model.parameters(), 0.01), Losses.CrossEntropy).Evaluate(ValidationData.FromTensors(xs, ys, batchSize: 4));
        using var logits = model.call(xs);
        using var expected = nn.functional.cross_entropy(logits, ys);
        Assert.Equal(expected.item<float>(), result.Loss, 5);
        Assert.Equal(6, result.Samples);
    }

    [Fact]
    public void ThreeHundredStepsLeakNeitherTensorsNorMemory()
    {
        var (x, classes) = Toy.DarkAndBright(64, size: 32, channels: 3); // 32×3×32×32 floats = 384 KiB per batch
        using var train = Toy.Iterator(x, classes, batchSize: 32, workers: 1);
        var model = Toy.Linear(3 * 32 * 32);
        var trainer = new Trainer(model, optim.Adam(model.parameters(), 0.001), Losses.CrossEntropy);
        trainer.Fit(train, Quiet with { StepsPerEpoch = 50 }); // warm up: pools, allocator, JIT

        long memoryBefore = SettledMemory();
        long tensorsBefore = Tensor.TotalCount;
        int buffersBefore = SharedTensor.Live;
        var history = trainer.Fit(train, Quiet with { StepsPerEpoch = 300 });
        Assert.Equal(300, history.Epochs[0].Steps);
        // Counted before any collection: every step's tensors were disposed by its scope, not left to finalizers.
        Assert.InRange(Tensor.TotalCount, 0, tensorsBefore + 5);
        Assert.InRange(SharedTensor.Live, 0, buffersBefore + 1); // + the batch the worker prefetched
        long memoryAfter = SettledMemory();
        // A leaked batch per step would be 300 × 384 KiB ≈ 112 MiB; allow 40 MiB of noise.
        Assert.True(memoryAfter - memoryBefore < 40L << 20, $"process memory grew by {(memoryAfter - memoryBefore) >> 20} MiB over 300 steps");
    }

    private static long SettledMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64;
    }
}
