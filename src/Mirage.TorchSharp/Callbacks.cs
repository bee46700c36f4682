using System.Globalization;
using static TorchSharp.torch;

namespace Mirage.TorchSharp;

/// <summary>What callbacks see and may change while <see cref="Trainer.Fit"/> runs.</summary>
public sealed class TrainingContext
{
    internal TrainingContext(Trainer trainer, FitOptions options, int stepsPerEpoch, History history)
    {
        Trainer = trainer;
        Options = options;
        StepsPerEpoch = stepsPerEpoch;
        History = history;
    }

    /// <summary>The trainer running <see cref="Trainer.Fit"/>.</summary>
    public Trainer Trainer { get; }
    /// <summary>The model being trained (a callback may read or restore its weights).</summary>
    public nn.Module<Tensor, Tensor> Model => Trainer.Model;
    /// <summary>The optimizer stepping the model's parameters.</summary>
    public optim.Optimizer Optimizer => Trainer.Optimizer;
    /// <summary>The options <see cref="Trainer.Fit"/> was called with.</summary>
    public FitOptions Options { get; }
    /// <summary>Batches trained per epoch, as resolved from the options and the iterator.</summary>
    public int StepsPerEpoch { get; }
    /// <summary>The epochs finished so far.</summary>
    public History History { get; }
    /// <summary>Set to end training after the current epoch (Keras's model.stop_training).</summary>
    public bool StopTraining { get; set; }

    /// <summary>The learning rate of the optimizer's first parameter group.</summary>
    public double LearningRate
    {
        get => Optimizer.ParamGroups.First().LearningRate;
        set
        {
            foreach (var group in Optimizer.ParamGroups) group.LearningRate = value;
        }
    }
}

/// <summary>Keras-style callback: override what you need. Called on the thread that runs <see cref="Trainer.Fit"/>.</summary>
public abstract class Callback
{
    /// <summary>Once, before the first epoch (reset per-run state here).</summary>
    public virtual void OnTrainBegin(TrainingContext context) { }
    /// <summary>At the start of epoch <paramref name="epoch"/> (0-based), before its first batch.</summary>
    public virtual void OnEpochBegin(TrainingContext context, int epoch) { }
    /// <summary>After each training step, with that batch's loss and size.</summary>
    public virtual void OnBatchEnd(TrainingContext context, BatchRecord batch) { }
    /// <summary>After validation; <paramref name="record"/> is already in <see cref="TrainingContext.History"/>.</summary>
    public virtual void OnEpochEnd(TrainingContext context, EpochRecord record) { }
    /// <summary>Once, after the last epoch or an early stop.</summary>
    public virtual void OnTrainEnd(TrainingContext context) { }
}

/// <summary>Whether a monitored metric improves by going down or up.</summary>
public enum MonitorMode
{
    /// <summary>Up for accuracy and F1, down for everything else (loss).</summary>
    Auto,
    /// <summary>Lower is better (losses).</summary>
    Min,
    /// <summary>Higher is better (accuracy, F1).</summary>
    Max,
}

/// <summary>Tracks the best value of a monitored metric (shared by early stopping, checkpoints and reduce-on-plateau).</summary>
internal struct MetricMonitor(string name, MonitorMode mode, double minDelta)
{
    private readonly bool _max = mode == MonitorMode.Max || (mode == MonitorMode.Auto && (name.Contains("acc") || name.Contains("f1")));
    public double Best { get; private set; } = double.NaN;

    /// <summary>Reads the metric and tells whether it improved on the best so far (the first value always does).</summary>
    public bool Improved(EpochRecord record)
    {
        double value = record.Get(name) ?? throw new InvalidOperationException(
            $"The monitored metric '{name}' has no value (validation metrics need FitOptions.Validation).");
        bool better = double.IsNaN(Best) || (_max ? value > Best + minDelta : value < Best - minDelta);
        if (better) Best = value;
        return better;
    }
}

/// <summary>Stops training when <paramref name="monitor"/> has not improved by more than <paramref name="minDelta"/>
/// for <paramref name="patience"/> epochs; optionally puts back the weights of the best epoch.</summary>
public sealed class EarlyStopping(string monitor = "val_loss", int patience = 0, double minDelta = 0, MonitorMode mode = MonitorMode.Auto,
    bool restoreBestWeights = false) : Callback
{
    private MetricMonitor _monitor;
    private int _wait;
    private Dictionary<string, Tensor>? _best;

    /// <summary>The epoch training stopped after (-1 if it did not stop).</summary>
    public int StoppedEpoch { get; private set; } = -1;
    /// <summary>The epoch with the best monitored value so far (-1 before the first epoch ends).</summary>
    public int BestEpoch { get; private set; } = -1;

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        _monitor = new MetricMonitor(monitor, mode, Math.Abs(minDelta));
        _wait = 0;
        StoppedEpoch = BestEpoch = -1;
        DisposeBest();
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        if (_monitor.Improved(record))
        {
            _wait = 0;
            BestEpoch = record.Epoch;
            if (restoreBestWeights) KeepWeights(context.Model);
            return;
        }
        if (++_wait <= patience) return;
        StoppedEpoch = record.Epoch;
        context.StopTraining = true;
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(TrainingContext context)
    {
        if (_best is null || StoppedEpoch < 0) return;
        var current = context.Model.state_dict();
        using (no_grad())
            foreach (var (name, tensor) in _best) current[name].copy_(tensor);
        DisposeBest();
    }

    private void KeepWeights(nn.Module model)
    {
        DisposeBest();
        _best = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
    }

    private void DisposeBest()
    {
        if (_best is null) return;
        foreach (var t in _best.Values) t.Dispose();
        _best = null;
    }
}

/// <summary>Saves the model (TorchSharp's <c>module.save</c> format; load with <c>module.load(path)</c>) after each
/// epoch, or only when <paramref name="monitor"/> improves. Written atomically: a temp file renamed over the target.
/// <paramref name="path"/> may hold <c>{epoch}</c> (1-based), e.g. <c>model-{epoch}.bin</c>.</summary>
public sealed class ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = false, MonitorMode mode = MonitorMode.Auto) : Callback
{
    private MetricMonitor _monitor;

    /// <summary>Files written so far, in order.</summary>
    public List<string> Saved { get; } = [];

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context) => _monitor = new MetricMonitor(monitor, mode, 0);

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        if (saveBestOnly && !_monitor.Improved(record)) return;
        var target = Path.GetFullPath(path.Replace("{epoch}", (record.Epoch + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Cannot save the checkpoint '{path}': the folder '{folder}' does not exist.");
        var temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            context.Model.save(temp);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        Saved.Add(target);
    }
}

/// <summary>Writes one CSV row per epoch (epoch and every metric of <see cref="EpochRecord.Names"/>); the file is
/// rewritten atomically after each epoch, so it is always complete. <paramref name="append"/> keeps an existing file's rows.</summary>
public sealed class CsvLogger(string path, bool append = false) : Callback
{
    private readonly List<string> _lines = [];

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        _lines.Clear();
        if (append && File.Exists(path)) _lines.AddRange(File.ReadAllLines(path));
        if (_lines.Count == 0) _lines.Add("epoch," + string.Join(",", EpochRecord.Names));
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        _lines.Add(record.Epoch.ToString(CultureInfo.InvariantCulture) + "," + string.Join(",",
            EpochRecord.Names.Select(n => record.Get(n) is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "")));
        AtomicFile.WriteAllLines(path, _lines);
    }
}

/// <summary>Sets the learning rate at the start of each epoch: <c>schedule(epoch, currentRate)</c> (Keras's LearningRateScheduler).</summary>
public sealed class LearningRateScheduler(Func<int, double, double> schedule) : Callback
{
    /// <inheritdoc/>
    public override void OnEpochBegin(TrainingContext context, int epoch)
    {
        double rate = schedule(epoch, context.LearningRate);
        if (!(rate > 0) || double.IsInfinity(rate))
            throw new InvalidOperationException($"The learning-rate schedule returned {rate} for epoch {epoch}; it must be a positive number.");
        context.LearningRate = rate;
    }
}

/// <summary>Multiplies the learning rate by <paramref name="factor"/> when <paramref name="monitor"/> has not improved for
/// <paramref name="patience"/> epochs, waiting <paramref name="cooldown"/> epochs after a cut, never below <paramref name="minLearningRate"/>.</summary>
public sealed class ReduceLearningRateOnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, double minDelta = 1e-4,
    int cooldown = 0, double minLearningRate = 0, MonitorMode mode = MonitorMode.Auto) : Callback
{
    private MetricMonitor _monitor;
    private int _wait, _cooldown;

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must lie between 0 and 1.");
        _monitor = new MetricMonitor(monitor, mode, minDelta);
        _wait = _cooldown = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        bool improved = _monitor.Improved(record);
        if (_cooldown > 0)
        {
            _cooldown--;
            _wait = 0;
        }
        if (improved)
        {
            _wait = 0;
            return;
        }
        if (_cooldown > 0) return;
        if (++_wait < patience) return;
        double old = context.LearningRate;
        if (old > minLearningRate)
        {
            context.LearningRate = Math.Max(old * factor, minLearningRate);
            _cooldown = cooldown;
            _wait = 0;
        }
    }
}

/// <summary>Your own code per batch and per epoch (Keras's LambdaCallback).</summary>
public sealed class LambdaCallback(Action<TrainingContext, BatchRecord>? onBatchEnd = null, Action<TrainingContext, EpochRecord>? onEpochEnd = null,
    Action<TrainingContext, int>? onEpochBegin = null) : Callback
{
    /// <inheritdoc/>
    public override void OnEpochBegin(TrainingContext context, int epoch) => onEpochBegin?.Invoke(context, epoch);
    /// <inheritdoc/>
    public override void OnBatchEnd(TrainingContext context, BatchRecord batch) => onBatchEnd?.Invoke(context, batch);
    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochRecord record) => onEpochEnd?.Invoke(context, record);
}
