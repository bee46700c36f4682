using System.Globalization;

namespace Mirage.TorchSharp;

/// <summary>How <see cref="Trainer.Fit"/> reports progress.</summary>
public enum ProgressMode
{
    /// <summary>A live progress bar (ETA, running loss) when the console is an interactive terminal and no <see cref="FitOptions.Log"/> is given; plain lines otherwise.</summary>
    Auto,
    /// <summary>A Spectre.Console progress bar per epoch.</summary>
    Bar,
    /// <summary>One plain line per epoch (CI logs).</summary>
    Lines,
    /// <summary>Nothing.</summary>
    None,
}

/// <summary>Keras's fit_generator arguments.</summary>
public sealed record FitOptions
{
    /// <summary>Epochs to train (fewer when a callback stops training).</summary>
    public int Epochs { get; init; } = 1;
    /// <summary>Batches per epoch; null derives it from <see cref="SamplesPerEpoch"/>, else one pass over the iterator (its Length).</summary>
    public int? StepsPerEpoch { get; init; }
    /// <summary>Samples per epoch (Keras 1's samples_per_epoch, e.g. twice the training set): ceil(samples / batch size) steps.</summary>
    public int? SamplesPerEpoch { get; init; }
    /// <summary>Evaluated after every epoch (val_loss, val_accuracy, val_macro_f1).</summary>
    public ValidationData? Validation { get; init; }
    /// <summary>Keras's class_weight: each sample's loss is multiplied by its class's weight (missing classes: 1).</summary>
    public IReadOnlyDictionary<int, double>? ClassWeights { get; init; }
    /// <summary>Called in order at each stage of training (early stopping, checkpoints, CSV log, schedules).</summary>
    public IReadOnlyList<Callback> Callbacks { get; init; } = [];
    /// <summary>How labels become tensors (see <see cref="TargetEncoding"/>).</summary>
    public TargetEncoding Targets { get; init; } = TargetEncoding.Auto;
    /// <summary>Compute accuracy and macro-F1 (classification outputs: [N, K] logits, or [N] / [N, 1] binary logits).</summary>
    public bool ClassificationMetrics { get; init; } = true;
    /// <summary>Seeds libtorch (dropout, random init of anything created during Fit) at the start; null leaves it alone.</summary>
    public long? Seed { get; init; }
    /// <summary>Progress display: a bar on an interactive console, plain lines otherwise (Auto), or none.</summary>
    public ProgressMode Progress { get; init; } = ProgressMode.Auto;
    /// <summary>Where plain progress lines go (null: the console).</summary>
    public TextWriter? Log { get; init; }
    /// <summary>Where the progress bar is drawn (null: <c>AnsiConsole.Console</c>), e.g. a CLI's own Spectre console.</summary>
    public Spectre.Console.IAnsiConsole? Console { get; init; }

    /// <summary>The steps an epoch takes for an iterator of <paramref name="iteratorLength"/> batches of <paramref name="batchSize"/>.</summary>
    public int StepsFor(int iteratorLength, int batchSize)
    {
        if (StepsPerEpoch is { } steps)
            return steps >= 1 ? steps : throw new ArgumentOutOfRangeException(nameof(StepsPerEpoch), steps, "StepsPerEpoch must be at least 1.");
        if (SamplesPerEpoch is { } samples)
            return samples >= 1 ? (int)(((long)samples + batchSize - 1) / batchSize)
                : throw new ArgumentOutOfRangeException(nameof(SamplesPerEpoch), samples, "SamplesPerEpoch must be at least 1.");
        return iteratorLength >= 1 ? iteratorLength : throw new ArgumentException("The training iterator has no batches (an empty dataset?).");
    }
}

/// <summary>One epoch of <see cref="Trainer.Fit"/>: training metrics, validation metrics, time, and the share of it spent waiting for data.</summary>
public sealed record EpochRecord(
    int Epoch, int Steps, long Samples, double Loss, double Accuracy, double MacroF1,
    double? ValLoss, double? ValAccuracy, double? ValMacroF1,
    double Seconds, double DataWaitSeconds, double LearningRate)
{
    /// <summary>Fraction of the epoch's training time spent waiting for the next batch (0..1).</summary>
    public double DataWaitFraction => Seconds > 0 ? Math.Clamp(DataWaitSeconds / Seconds, 0, 1) : 0;

    /// <summary>A metric by its Keras name: loss, accuracy, macro_f1, val_loss, val_accuracy, val_macro_f1, lr, seconds, data_wait_fraction.</summary>
    public double? Get(string name) => name switch
    {
        "loss" => Loss,
        "accuracy" or "acc" => Accuracy,
        "macro_f1" => MacroF1,
        "val_loss" => ValLoss,
        "val_accuracy" or "val_acc" => ValAccuracy,
        "val_macro_f1" => ValMacroF1,
        "lr" or "learning_rate" => LearningRate,
        "seconds" => Seconds,
        "data_wait_fraction" => DataWaitFraction,
        _ => throw new ArgumentException($"Unknown metric '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>The metric names the record's indexer accepts, Keras's spelling (loss, val_loss, lr, ...).</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["loss", "accuracy", "macro_f1", "val_loss", "val_accuracy", "val_macro_f1", "lr", "seconds", "data_wait_fraction"];

    /// <summary>One line with the epoch's metrics, as the progress display prints it.</summary>
    public override string ToString()
    {
        var s = string.Create(CultureInfo.InvariantCulture, $"loss {Loss:F4} · accuracy {Accuracy:F4} · macro_f1 {MacroF1:F4}");
        if (ValLoss is { } vl)
            s += string.Create(CultureInfo.InvariantCulture, $" · val_loss {vl:F4} · val_accuracy {ValAccuracy:F4} · val_macro_f1 {ValMacroF1:F4}");
        return s + string.Create(CultureInfo.InvariantCulture, $" · {Seconds:F1}s · data wait {DataWaitFraction * 100:F0}%");
    }
}

/// <summary>One training step, as callbacks see it.</summary>
public sealed record BatchRecord(int Epoch, int Step, int Samples, double Loss, double RunningLoss);

/// <summary>What <see cref="Trainer.Fit"/> returns: one record per epoch run.</summary>
public sealed class History
{
    private readonly List<EpochRecord> _epochs = [];

    /// <summary>One record per completed epoch, in order.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;
    /// <summary>True when a callback (e.g. early stopping) ended training before the last epoch.</summary>
    public bool StoppedEarly { get; internal set; }
    /// <summary>Training time over all epochs, in seconds.</summary>
    public double Seconds => _epochs.Sum(e => e.Seconds);
    /// <summary>Time spent blocked waiting for the next batch over all epochs, in seconds.</summary>
    public double DataWaitSeconds => _epochs.Sum(e => e.DataWaitSeconds);
    /// <summary>Fraction of all training time spent waiting for data.</summary>
    public double DataWaitFraction => Seconds > 0 ? DataWaitSeconds / Seconds : 0;

    /// <summary>A metric's value per epoch (Keras's history.history[name]).</summary>
    public IReadOnlyList<double?> this[string metric] => _epochs.Select(e => e.Get(metric)).ToArray();

    internal void Add(EpochRecord record) => _epochs.Add(record);
}

/// <summary>The result of <see cref="Trainer.Evaluate(ValidationData)"/>.</summary>
public sealed record EvaluationResult(double Loss, double Accuracy, double MacroF1, long Samples, ConfusionMatrix Confusion);
