using Mirage.Data;
using Mirage.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace Mirage.TorchSharp.Tests.Docs;

/// <summary>docs/training.md's first C# block, run on 64 small images: keep the two in step.</summary>
public sealed class TrainingGuideExampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mirage-guide-").FullName;
    private readonly string _cwd = Environment.CurrentDirectory;

    public void Dispose()
    {
        Environment.CurrentDirectory = _cwd;
        Directory.Delete(_dir, recursive: true);
    }

    private static (ImageArray X, float[] Y) Images(int count, ulong seed)
    {
        var (x, classes) = Toy.DarkAndBright(count, size: 28, seed: seed);
        var pixels = x.Data.Select(v => v * 255).ToArray();
        return (x with { Data = pixels }, classes.Select(c => (float)c).ToArray());
    }

    [Fact]
    public void GuideExampleRuns()
    {
        var (trainImages, trainLabels) = Images(64, 1);
        var (testImages, testLabels) = Images(32, 2);
        Environment.CurrentDirectory = _dir; // training.csv lands here
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            // ---- docs/training.md block starts ----
            var augment = new ImageDataGenerator(new ImageDataGeneratorOptions
            {
                Rescale = 1.0 / 255, RotationRange = 10, WidthShiftRange = 0.1, HeightShiftRange = 0.1, ZoomRange = (0.9, 1.1),
                HorizontalFlip = true,
                DataFormat = DataFormat.ChannelsFirst, // N×C×H×W: the tensor is then the batch's own memory, contiguous
            });
            var plain = new ImageDataGenerator(new ImageDataGeneratorOptions { Rescale = 1.0 / 255, DataFormat = DataFormat.ChannelsFirst });
            using var train = augment.Flow(trainImages, trainLabels, new FlowOptions { BatchSize = 32, Seed = 1, Workers = 2 });
            using var test = plain.Flow(testImages, testLabels, new FlowOptions { BatchSize = 256, Shuffle = false });

            Trainer.Seed(1); // weight init and dropout: the same seed gives the same run
            var model = nn.Sequential(
                ("conv1", nn.Conv2d(1, 32, 3)), ("relu1", nn.ReLU()), ("conv2", nn.Conv2d(32, 64, 3)), ("relu2", nn.ReLU()),
                ("pool", nn.MaxPool2d(2)), ("drop1", nn.Dropout(0.25)), ("flatten", nn.Flatten()),
                ("fc1", nn.Linear(64 * 12 * 12, 128)), ("relu3", nn.ReLU()), ("drop2", nn.Dropout(0.5)), ("fc2", nn.Linear(128, 10)));
            var trainer = new Trainer(model, optim.Adam(model.parameters(), 1e-3), Losses.CrossEntropy);

            var history = trainer.Fit(train, new FitOptions
            {
                Epochs = 15,
                SamplesPerEpoch = 2 * train.Samples, // Keras's samples_per_epoch = 2N
                Validation = ValidationData.From(test),
                Callbacks = [new EarlyStopping("val_loss", patience: 3, restoreBestWeights: true), new CsvLogger("training.csv")],
            });
            var result = trainer.Evaluate(test);
            Console.WriteLine($"test macro-F1 {result.MacroF1:F3}, data wait {history.DataWaitFraction:P0} of {history.Seconds:F0} s");
            // ---- docs/training.md block ends ----

            Assert.InRange(history.Epochs.Count, 1, 15);
            Assert.All(history.Epochs, e => Assert.Equal(4, e.Steps));
            Assert.Equal(history.Epochs.Count + 1, File.ReadAllLines(Path.Combine(_dir, "training.csv")).Length);
            Assert.True(result.Accuracy >= 0.9, $"dark vs bright: accuracy {result.Accuracy}");
        }
        finally
        {
            Console.SetOut(console);
        }
        Assert.Contains("test macro-F1", output.ToString());
    }

    [Fact]
    public void TheGuideShowsTheCodeThisTestRuns()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "training.md"));
        int start = guide.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var block = guide[start..guide.IndexOf("```", start, StringComparison.Ordinal)];
        var here = File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "Mirage.TorchSharp.Tests", "Docs", "TrainingGuideExampleTests.cs"));
        var run = here[here.IndexOf("// ---- docs/training.md block starts ----", StringComparison.Ordinal)..here.IndexOf("// ---- docs/training.md block ends ----", StringComparison.Ordinal)];
        var runLines = run.Split('\n').Select(l => l.Trim()).ToHashSet();
        foreach (var line in block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("using ", StringComparison.Ordinal)))
            Assert.Contains(line, runLines);
    }

    // From the test's output folder, not [CallerFilePath]: CI builds map source paths to /_/ (deterministic builds).
    private static string RepositoryRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Mirage.slnx"))) dir = Path.GetDirectoryName(dir.TrimEnd('/'));
        return dir ?? throw new DirectoryNotFoundException("Mirage.slnx not found above the test's output folder.");
    }
}
