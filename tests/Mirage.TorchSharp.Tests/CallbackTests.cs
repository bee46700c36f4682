using static TorchSharp.torch;

namespace Mirage.TorchSharp.Tests;

public sealed class CallbackTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mirage-callbacks-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (Trainer Trainer, Mirage.Data.BatchIterator<float> Train) Setup(double learningRate)
    {
        var (x, classes) = Toy.DarkAndBright(16);
        var train = Toy.Iterator(x, classes, batchSize: 8);
        var model = Toy.Linear(64);
        return (new Trainer(model, optim.SGD(model.parameters(), learningRate), Losses.CrossEntropy), train);
    }

    private static FitOptions Options(int epochs, params Callback[] callbacks) => new() { Epochs = epochs, Callbacks = callbacks, Progress = ProgressMode.None };

    [Fact]
    public void EarlyStoppingStopsWhenTheMonitoredMetricStalls()
    {
        var (trainer, train) = Setup(learningRate: 0); // nothing changes: the loss never improves after epoch 0
        using var _ = train;
        var stop = new EarlyStopping(monitor: "loss", patience: 2, minDelta: 1e-3);
        var history = trainer.Fit(train, Options(10, stop));
        Assert.Equal(4, history.Epochs.Count); // epoch 0 sets the best, 1 and 2 wait, 3 stops
        Assert.True(history.StoppedEarly);
        Assert.Equal(3, stop.StoppedEpoch);
        Assert.Equal(0, stop.BestEpoch);
    }

    [Fact]
    public void EarlyStoppingCanPutTheBestWeightsBack()
    {
        var (trainer, train) = Setup(learningRate: 0.5);
        using var _ = train;
        var snapshots = new List<float[]>();
        var record = new LambdaCallback(onEpochEnd: (ctx, _) => snapshots.Add(ctx.Model.parameters().First().data<float>().ToArray()));
        // monitoring "lr" (constant) in max mode: epoch 0 is the best, training stops after epoch 1
        var stop = new EarlyStopping(monitor: "lr", patience: 0, mode: MonitorMode.Max, restoreBestWeights: true);
        trainer.Fit(train, Options(5, record, stop));
        Assert.Equal(2, snapshots.Count);
        Assert.NotEqual(snapshots[0], snapshots[1]);
        Assert.Equal(snapshots[0], trainer.Model.parameters().First().data<float>().ToArray());
    }

    [Fact]
    public void CheckpointWritesALoadableModelAtomically()
    {
        var (trainer, train) = Setup(learningRate: 0.1);
        using var _ = train;
        var path = Path.Combine(_dir, "model-{epoch}.bin");
        var checkpoint = new ModelCheckpoint(path, monitor: "loss");
        trainer.Fit(train, Options(2, checkpoint));
        Assert.Equal([Path.Combine(_dir, "model-1.bin"), Path.Combine(_dir, "model-2.bin")], checkpoint.Saved);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
        var loaded = Toy.Linear(64, seed: 123);
        loaded.load(checkpoint.Saved[^1]);
        foreach (var (a, b) in trainer.Model.parameters().Zip(loaded.parameters()))
            Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
        Assert.Throws<DirectoryNotFoundException>(() => trainer.Fit(train, Options(1, new ModelCheckpoint(Path.Combine(_dir, "missing", "m.bin")))));
    }

    [Fact]
    public void CheckpointSaveBestOnlySkipsEpochsThatDoNotImprove()
    {
        var (trainer, train) = Setup(learningRate: 0);
        using var _ = train;
        var checkpoint = new ModelCheckpoint(Path.Combine(_dir, "best-{epoch}.bin"), monitor: "loss", saveBestOnly: true);
        trainer.Fit(train, Options(3, checkpoint));
        Assert.Equal([Path.Combine(_dir, "best-1.bin")], checkpoint.Saved); // the loss never changes after epoch 0
    }

    [Fact]
    public void CsvLoggerWritesAHeaderAndARowPerEpoch()
    {
        var (trainer, train) = Setup(learningRate: 0.1);
        using var _ = train;
        var path = Path.Combine(_dir, "log.csv");
        var history = trainer.Fit(train, Options(3, new CsvLogger(path)));
        var lines = File.ReadAllLines(path);
        Assert.Equal("epoch,loss,accuracy,macro_f1,val_loss,val_accuracy,val_macro_f1,lr,seconds,data_wait_fraction", lines[0]);
        Assert.Equal(4, lines.Length);
        var row = lines[2].Split(',');
        Assert.Equal("1", row[0]);
        Assert.Equal(history.Epochs[1].Loss, double.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("", row[4]); // no validation
        trainer.Fit(train, Options(1, new CsvLogger(path, append: true)));
        Assert.Equal(5, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void LearningRateScheduleIsAppliedToTheOptimizer()
    {
        var (trainer, train) = Setup(learningRate: 0.1);
        using var _ = train;
        var seen = new List<double>();
        var history = trainer.Fit(train, Options(3,
            new LearningRateScheduler((epoch, rate) => 0.1 / (epoch + 1)),
            new LambdaCallback(onBatchEnd: (ctx, b) => { if (b.Step == 0) seen.Add(ctx.Optimizer.ParamGroups.First().LearningRate); })));
        Assert.Equal([0.1, 0.05, 0.1 / 3], seen);
        Assert.Equal([0.1, 0.05, 0.1 / 3], history.Epochs.Select(e => e.LearningRate));
        Assert.Throws<InvalidOperationException>(() => trainer.Fit(train, Options(1, new LearningRateScheduler((_, _) => -1))));
    }

    [Fact]
    public void ReduceOnPlateauCutsTheRateWhenTheMetricStalls()
    {
        var (trainer, train) = Setup(learningRate: 1e-12); // far too small to move the loss by minDelta
        using var _ = train;
        var history = trainer.Fit(train, Options(5, new ReduceLearningRateOnPlateau(monitor: "loss", factor: 0.5, patience: 1, minLearningRate: 2e-13)));
        // epoch 0 sets the best; each later epoch stalls and halves the rate (patience 1), down to the floor
        Assert.Equal([1e-12, 1e-12, 5e-13, 2.5e-13, 2e-13], history.Epochs.Select(e => e.LearningRate));
    }

    [Fact]
    public void LambdasRunPerBatchAndPerEpochAndCanStopTraining()
    {
        var (trainer, train) = Setup(learningRate: 0.1);
        using var _ = train;
        int batches = 0, begins = 0;
        var history = trainer.Fit(train, Options(5, new LambdaCallback(
            onBatchEnd: (_, b) => { batches++; Assert.True(b.Loss > 0); },
            onEpochEnd: (ctx, e) => { if (e.Epoch == 1) ctx.StopTraining = true; },
            onEpochBegin: (_, _) => begins++)));
        Assert.Equal(2, history.Epochs.Count);
        Assert.Equal(4, batches); // 2 epochs × 2 steps
        Assert.Equal(2, begins);
    }

    [Fact]
    public void AMissingValidationMetricIsReportedByName()
    {
        var (trainer, train) = Setup(learningRate: 0.1);
        using var _ = train;
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(train, Options(2, new EarlyStopping())));
        Assert.Contains("'val_loss'", e.Message);
    }

    [Fact]
    public void PlainProgressLinesGoToTheLog()
    {
        var (trainer, train) = Setup(learningRate: 0.1);
        using var _ = train;
        var log = new StringWriter();
        trainer.Fit(train, new FitOptions { Epochs = 2, Log = log });
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("Epoch 1/2 · 2 steps · loss ", lines[0]);
        Assert.Contains("data wait", lines[1]);
    }

    [Fact]
    public void TheProgressBarShowsEachEpochWithItsLoss()
    {
        var (trainer, train) = Setup(learningRate: 0.1);
        using var _ = train;
        var output = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(output),
            Interactive = Spectre.Console.InteractionSupport.Yes,
            Ansi = Spectre.Console.AnsiSupport.Yes,
        });
        var history = trainer.Fit(train, new FitOptions { Epochs = 2, Progress = ProgressMode.Bar, Console = console });
        Assert.Equal(2, history.Epochs.Count);
        var text = output.ToString();
        Assert.True(text.Contains("Epoch 1/2", StringComparison.Ordinal), text);
        Assert.Contains("Epoch 2/2 · 2 steps · loss", text);
    }
}
