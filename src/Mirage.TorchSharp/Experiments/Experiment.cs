using System.Diagnostics;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Mirage.TorchSharp.Experiments;

/// <summary>Settings shared by every run of an experiment.</summary>
public sealed record ExperimentOptions
{
    /// <summary>Epochs per run.</summary>
    public int Epochs { get; init; } = 15;
    /// <summary>Each arm runs once per seed; the seed drives weight init, dropout, shuffling and augmentation.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [1, 2, 3];
    /// <summary>Training batch size.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Arms with a generator draw this many times the training set per epoch (the reference's samples_per_epoch = 2N).</summary>
    public double SamplesPerEpochFactor { get; init; } = 2;
    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Mirage worker threads building batches ahead of the training loop.</summary>
    public int Workers { get; init; } = 1;
    /// <summary>libtorch's intra-op threads (0 leaves libtorch's default).</summary>
    public int TorchThreads { get; init; }
    /// <summary>How each run shows training progress (none by default: the caller prints one line per run).</summary>
    public ProgressMode Progress { get; init; } = ProgressMode.None;
    /// <summary>Where per-epoch lines go (none when null).</summary>
    public TextWriter? Log { get; init; }
}

/// <summary>One arm × seed: test scores, time, and the per-epoch history (validation curves).</summary>
public sealed record ExperimentRun(string Arm, int Seed, double MacroF1, double Accuracy, double Seconds, double DataWaitFraction, History History);

/// <summary>
/// The reference protocol: for every arm and seed, train the small CNN (Adam, inputs scaled to [0, 1]) on the
/// training subset — one shuffled pass per epoch without a generator, <see cref="ExperimentOptions.SamplesPerEpochFactor"/>
/// × N augmented samples per epoch with one — then score macro-F1 and accuracy on the test set.
/// </summary>
public static class Experiment
{
    /// <summary>Runs every arm of <paramref name="arms"/> once per seed on <paramref name="data"/>, yielding each run as it finishes.</summary>
    public static IEnumerable<ExperimentRun> Run(ExperimentData data, IReadOnlyList<ExperimentArm> arms, ExperimentOptions options)
    {
        if (options.TorchThreads > 0) torch.set_num_threads(options.TorchThreads);
        foreach (var arm in arms)
        {
            // A preprocessing function (e.g. CLAHE) is part of the input pipeline: the images scored go through it too.
            var preprocess = arm.Augmentation?.PreprocessingFunction;
            using var validation = Prepared(data.ValidationX, data.ValidationY, preprocess);
            using var test = Prepared(data.TestX, data.TestY, preprocess);
            foreach (int seed in options.Seeds)
                yield return RunOne(data, arm, seed, options, validation, test);
        }
    }

    private static ExperimentRun RunOne(ExperimentData data, ExperimentArm arm, int seed, ExperimentOptions options,
        PreparedSet validation, PreparedSet test)
    {
        var clock = Stopwatch.StartNew();
        Trainer.Seed(seed);
        using var model = SmallCnn.Create(data.TrainX.Channels, data.TrainX.Height, data.TrainX.Width, data.Classes);
        using var optimizer = optim.Adam(model.parameters(), options.LearningRate);
        var trainer = new Trainer(model, optimizer, Losses.CrossEntropy);
        var generatorOptions = (arm.Augmentation ?? new ImageDataGeneratorOptions()) with
        {
            Rescale = 1.0 / 255, DataFormat = DataFormat.ChannelsFirst,
        };
        var flowOptions = new FlowOptions
        {
            BatchSize = options.BatchSize, Shuffle = true, Seed = (ulong)seed, Workers = options.Workers, Epochs = null,
        };
        using var train = new ImageDataGenerator(generatorOptions).Flow(data.TrainX, data.TrainY, flowOptions);
        var fit = new FitOptions
        {
            Epochs = options.Epochs,
            // Keras's steps = int(samples_per_epoch / batch_size), as the reference's fit_generator loop counts them.
            StepsPerEpoch = arm.Augmentation is null ? null : Math.Max(1, (int)(options.SamplesPerEpochFactor * data.TrainX.Count / options.BatchSize)),
            Validation = validation.Data,
            Progress = options.Progress,
            Log = options.Log,
        };
        var history = trainer.Fit(train, fit);
        var score = trainer.Evaluate(test.Data);
        return new ExperimentRun(arm.Name, seed, score.MacroF1, score.Accuracy, clock.Elapsed.TotalSeconds, history.DataWaitFraction, history);
    }

    /// <summary>An evaluation set: the preprocessing function applied once, scaled to [0, 1].</summary>
    private sealed class PreparedSet(ValidationData data) : IDisposable
    {
        public ValidationData Data { get; } = data;
        public void Dispose() => (Data as IDisposable)?.Dispose();
    }

    private static PreparedSet Prepared(ImageArray x, float[] y, Action<Image<float>>? preprocess)
    {
        var copy = (float[])x.Data.Clone();
        int length = x.Height * x.Width * x.Channels;
        var info = ImageInfo.Create(x.Height, x.Width, x.Channels);
        if (preprocess is not null)
        {
            Parallel.For(0, x.Count, i =>
            {
                using var image = new Image<float>(info);
                copy.AsSpan(i * length, length).CopyTo(image.Span);
                preprocess(image);
                image.Span.CopyTo(copy.AsSpan(i * length, length));
            });
        }
        for (int k = 0; k < copy.Length; k++) copy[k] *= 1f / 255;
        return new PreparedSet(ValidationData.FromArrays(x with { Data = copy }, y, batchSize: 256));
    }
}
