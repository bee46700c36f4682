using System.Diagnostics;
using Mirage.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Mirage.TorchSharp;

/// <summary>
/// Keras's fit_generator / evaluate_generator / predict_generator for a TorchSharp model fed by a Mirage iterator.
/// Every step runs in its own <c>torch.NewDisposeScope()</c>, so no tensor outlives its step.
/// </summary>
public sealed class Trainer
{
    /// <param name="model">Maps N×C×H×W images to outputs ([N, K] logits for classification).</param>
    /// <param name="optimizer">Updates the model's parameters after each training step (its learning rate is what
    /// the learning-rate callbacks change).</param>
    /// <param name="loss">Per-sample loss (see <see cref="Losses"/>).</param>
    public Trainer(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, LossFunction loss)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Loss = loss ?? throw new ArgumentNullException(nameof(loss));
    }

    /// <summary>The model being trained.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }
    /// <summary>The optimizer stepping the model's parameters.</summary>
    public optim.Optimizer Optimizer { get; }
    /// <summary>Per-sample loss; Fit weights and averages it.</summary>
    public LossFunction Loss { get; }

    /// <summary>Seeds libtorch's generators (weight init, dropout, torch.rand): call before building the model to
    /// make a run repeatable. Mirage's augmentation has its own seed (<see cref="FlowOptions.Seed"/>).</summary>
    public static void Seed(long seed)
    {
        torch.manual_seed(seed);
        torch.random.manual_seed(seed);
    }

    /// <summary>
    /// Trains for <see cref="FitOptions.Epochs"/> epochs of <see cref="FitOptions.StepsFor"/> batches taken from
    /// <paramref name="train"/> in sequence (create it with <c>Epochs = null</c>, Keras's endless generator, or with
    /// enough epochs). Batches are prefetched by the iterator's workers (<see cref="FlowOptions.Workers"/>); the time
    /// spent waiting for them is reported per epoch. The iterator is not disposed.
    /// </summary>
    public History Fit(BatchIterator<float> train, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        options ??= new FitOptions();
        if (options.Epochs < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "Epochs cannot be negative.");
        int steps = options.StepsFor(train.Length, train.BatchSize);
        if (options.Seed is { } seed) Seed(seed);
        var history = new History();
        var context = new TrainingContext(this, options, steps, history);
        var progress = new ProgressReporter(options, steps);
        var loader = new MirageLoader(train, options.Targets);
        progress.Run(() =>
        {
            foreach (var c in options.Callbacks) c.OnTrainBegin(context);
            for (int epoch = 0; epoch < options.Epochs && !context.StopTraining; epoch++)
            {
                foreach (var c in options.Callbacks) c.OnEpochBegin(context, epoch);
                progress.EpochBegin(epoch);
                var record = TrainEpoch(loader, context, progress, epoch);
                history.Add(record);
                progress.EpochEnd(record);
                foreach (var c in options.Callbacks) c.OnEpochEnd(context, record);
            }
            history.StoppedEarly = context.StopTraining && history.Epochs.Count < options.Epochs;
            foreach (var c in options.Callbacks) c.OnTrainEnd(context);
        });
        return history;
    }

    private EpochRecord TrainEpoch(MirageLoader loader, TrainingContext context, ProgressReporter progress, int epoch)
    {
        var options = context.Options;
        var clock = Stopwatch.StartNew();
        double waitBefore = loader.WaitSeconds, lossSum = 0, learningRate = context.LearningRate;
        long samples = 0;
        var confusion = new ConfusionMatrix();
        Model.train();
        for (int step = 0; step < context.StepsPerEpoch; step++)
        {
            using var scope = NewDisposeScope();
            using var batch = loader.Next() ?? throw new InvalidOperationException(
                $"The training iterator ran out in epoch {epoch + 1} after {step} of {context.StepsPerEpoch} steps; " +
                "create it with Epochs = null (endless, as Keras's generators are) or enough epochs for Epochs × StepsPerEpoch batches.");
            var target = batch.Targets ?? throw new InvalidOperationException("Training needs labels: the batches have none (class_mode none/input?) or several outputs.");
            Optimizer.zero_grad();
            var output = Model.call(batch.X);
            var actual = options.ClassificationMetrics || options.ClassWeights is not null ? ActualClasses(output, target) : null;
            var loss = WeightedMean(Loss(output, target), actual, batch.SampleWeights, options.ClassWeights);
            loss.backward();
            Optimizer.step();

            double value = loss.item<float>();
            int n = batch.Count;
            lossSum += value * n;
            samples += n;
            if (options.ClassificationMetrics && actual is not null) confusion.Add(actual, PredictedClasses(output));
            var record = new BatchRecord(epoch, step, n, value, lossSum / samples);
            progress.Step(epoch, step + 1, record.RunningLoss);
            foreach (var c in options.Callbacks) c.OnBatchEnd(context, record);
        }
        double trainSeconds = clock.Elapsed.TotalSeconds, wait = loader.WaitSeconds - waitBefore;
        EvaluationResult? validation = options.Validation is null ? null : Evaluate(options.Validation, options);
        return new EpochRecord(epoch, context.StepsPerEpoch, samples, samples > 0 ? lossSum / samples : double.NaN,
            confusion.Accuracy, confusion.MacroF1, validation?.Loss, validation?.Accuracy, validation?.MacroF1,
            trainSeconds, wait, learningRate);
    }

    /// <summary>Loss, accuracy and macro-F1 over <paramref name="data"/>, in eval mode without gradients.</summary>
    public EvaluationResult Evaluate(ValidationData data) => Evaluate(data, new FitOptions());

    /// <summary>Evaluates batches 0..steps-1 (default: one pass) of the iterator's first epoch (see <see cref="ValidationData.From"/>).</summary>
    public EvaluationResult Evaluate(BatchIterator<float> data, int? steps = null, TargetEncoding targets = TargetEncoding.Auto)
        => Evaluate(ValidationData.From(data, steps, targets));

    private EvaluationResult Evaluate(ValidationData data, FitOptions options)
    {
        bool wasTraining = Model.training;
        Model.eval();
        try
        {
            using var _ = no_grad();
            double lossSum = 0;
            long samples = 0;
            var confusion = new ConfusionMatrix();
            foreach (var step in data.Steps())
            {
                using var scope = NewDisposeScope();
                using (step)
                {
                    var target = step.Targets ?? throw new InvalidOperationException("Evaluation needs labels: the batches have none.");
                    var output = Model.call(step.X);
                    var actual = options.ClassificationMetrics ? ActualClasses(output, target) : null;
                    var loss = WeightedMean(Loss(output, target), actual, step.Weights, null);
                    long n = step.X.shape[0];
                    lossSum += loss.item<float>() * n;
                    samples += n;
                    if (actual is not null) confusion.Add(actual, PredictedClasses(output));
                }
            }
            return new EvaluationResult(samples > 0 ? lossSum / samples : double.NaN, confusion.Accuracy, confusion.MacroF1, samples, confusion);
        }
        finally
        {
            Model.train(wasTraining);
        }
    }

    /// <summary>
    /// The model's outputs for batches 0..steps-1 (default: one pass) of the iterator's first epoch, concatenated in that
    /// order (without shuffle: dataset order), in eval mode without gradients. The caller disposes the returned tensor.
    /// </summary>
    public Tensor Predict(BatchIterator<float> data, int? steps = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        bool wasTraining = Model.training;
        Model.eval();
        try
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var outputs = new List<Tensor>();
            foreach (var step in ValidationData.From(data, steps).Steps())
                using (step)
                    outputs.Add(Model.call(step.X).detach().clone());
            if (outputs.Count == 0) throw new ArgumentException("The iterator has no batches to predict.", nameof(data));
            return cat(outputs, 0).MoveToOuterDisposeScope();
        }
        finally
        {
            Model.train(wasTraining);
        }
    }

    /// <summary>Mean of the per-sample losses weighted by sample weight × class weight (Keras: sum(l·w) / N).</summary>
    private static Tensor WeightedMean(Tensor perSample, long[]? actual, Tensor? sampleWeights, IReadOnlyDictionary<int, double>? classWeights)
    {
        if (perSample.dim() != 1)
            throw new InvalidOperationException($"The loss must return one value per sample ([N]); it returned shape [{string.Join(", ", perSample.shape)}].");
        Tensor? weights = sampleWeights;
        if (classWeights is not null)
        {
            if (actual is null) throw new InvalidOperationException("Class weights need class labels.");
            var w = new float[actual.Length];
            for (int i = 0; i < w.Length; i++) w[i] = classWeights.TryGetValue((int)actual[i], out double cw) ? (float)cw : 1f;
            var classTensor = tensor(w, ScalarType.Float32);
            weights = weights is null ? classTensor : weights * classTensor;
        }
        return weights is null ? perSample.mean() : (perSample * weights).mean();
    }

    /// <summary>True classes: int64 indices; float one-hot rows (argmax); float values (binary: > 0.5; else class indices).</summary>
    internal static long[] ActualClasses(Tensor output, Tensor target)
    {
        Tensor classes;
        if (target.dtype == ScalarType.Int64) classes = target.reshape(-1);
        else if (target.dim() == 2 && target.shape[1] > 1) classes = target.argmax(1);
        else if (IsBinary(output)) classes = target.reshape(-1).gt(0.5).to_type(ScalarType.Int64);
        else classes = target.reshape(-1).to_type(ScalarType.Int64);
        return classes.data<long>().ToArray();
    }

    /// <summary>Predicted classes: argmax of [N, K] logits; logit > 0 for a binary [N] / [N, 1] output.</summary>
    internal static long[] PredictedClasses(Tensor output)
    {
        var classes = IsBinary(output) ? output.reshape(-1).gt(0).to_type(ScalarType.Int64) : output.reshape(output.shape[0], -1).argmax(1);
        return classes.data<long>().ToArray();
    }

    private static bool IsBinary(Tensor output) => output.dim() == 1 || (output.dim() == 2 && output.shape[1] == 1);
}
