using Mirage.Data;
using Mirage.Generation;

namespace Mirage.Tests.Data;

/// <summary>The training example of docs/data-pipeline.md, on a tiny tree: keep the two in step.</summary>
public class DocsExampleTests
{
    [Fact]
    public void FlowFromDirectoryTrainingExampleRuns()
    {
        using var t = new TempDir();
        for (int i = 0; i < 10; i++) RealCodecTests.WritePng(t[$"train/{(i % 2 == 0 ? "cats" : "dogs")}/{i}.png"], (byte)(i * 20), 12, 10);
        string dir = t["train"];

        var generator = new ImageDataGenerator(new ImageDataGeneratorOptions
        {
            Rescale = 1.0 / 255,
            RotationRange = 20,
            WidthShiftRange = 0.1,
            HeightShiftRange = 0.1,
            ZoomRange = (0.9, 1.1),
            HorizontalFlip = true,
            FeaturewiseCenter = true,
            FeaturewiseStdNormalization = true,
            ValidationSplit = 0.2,
        });

        var stats = FeaturewiseStatistics.OfDirectory(dir, targetSize: (8, 8));
        stats.LoadInto(generator);

        var options = new DirectoryFlowOptions
        {
            TargetSize = (8, 8),
            ColorMode = Mirage.Codecs.ColorMode.Rgb,
            ClassMode = ClassMode.Categorical,
            BatchSize = 3,
            Seed = 42,
            Workers = 2,
            Prefetch = 2,
            Epochs = 2,
            OnBadFile = BadFilePolicy.Skip,
            Log = TextWriter.Null,
        };
        using var train = generator.FlowFromDirectory(dir, options with { Subset = Subset.Training });
        using var val = generator.FlowFromDirectory(dir, options with { Subset = Subset.Validation, Shuffle = false, Epochs = 1 });
        Assert.Equal(8, train.Samples);
        Assert.Equal(2, val.Samples);
        Assert.Equal(3, train.StepsPerEpoch);
        var summaries = new List<EpochSummary>();
        train.EpochEnded += summaries.Add;

        int seen = 0;
        foreach (var batch in train)
            using (batch)
            {
                Assert.Equal([batch.Count, 8, 8, 3], batch.Shape);
                Assert.Equal(batch.Count * 2, batch.Y.Length);
                Assert.All(batch.X.ToArray(), v => Assert.True(float.IsFinite(v)));
                seen += batch.Count;
            }
        Assert.Equal(16, seen);
        Assert.Equal(2, summaries.Count);
    }
}
