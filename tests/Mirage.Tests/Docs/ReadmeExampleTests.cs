using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Tests.Cli;

namespace Mirage.Tests.Docs;

/// <summary>README.md's "The Keras workflow, line for line" C# block, run on the bundled photo: keep the two in step.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void KerasWorkflowExampleRuns()
    {
        string root = CliRunner.TempFolder();
        string catPath = Path.Combine(root, "data", "train", "cats", "cat.0.jpg");
        foreach (var animal in new[] { "cats", "dogs" })
        {
            Directory.CreateDirectory(Path.Combine(root, "data", "train", animal));
            for (int i = 0; i < 3; i++) File.Copy(CliRunner.Sample("chelsea.jpg"), Path.Combine(root, "data", "train", animal, $"{animal[..3]}.{i}.jpg"));
        }
        Directory.CreateDirectory(Path.Combine(root, "preview"));
        string previewDir = Path.Combine(root, "preview"), trainDir = Path.Combine(root, "data", "train");
        int batches = 0;

        // ---- README block starts (paths made absolute) ----
        var datagen = new ImageDataGenerator(new ImageDataGeneratorOptions
        {
            RotationRange = 40, WidthShiftRange = 0.2, HeightShiftRange = 0.2,
            ShearRange = 0.2, ZoomRange = (0.8, 1.2), HorizontalFlip = true, FillMode = FillMode.Nearest,
        });

        using var img = ImageDecoder.Decode(catPath, ColorMode.Rgb);                          // load_img
        using var pixels = ImageConvert.ToFloat(img);                                         // img_to_array
        var x = new ImageArray(pixels.Span.ToArray(), 1, img.Height, img.Width, img.Channels); // reshape((1,) + shape)
        using (var preview = datagen.Flow(x, options: new FlowOptions
               { BatchSize = 1, SaveToDir = previewDir, SavePrefix = "cat", SaveFormat = ImageFormat.Jpeg, Seed = 1 }))
            foreach (var batch in preview.Take(20)) batch.Dispose();                         // 20 variants in preview/

        var train = new ImageDataGenerator(new ImageDataGeneratorOptions
            { Rescale = 1.0 / 255, ShearRange = 0.2, ZoomRange = (0.8, 1.2), HorizontalFlip = true });
        using var trainGenerator = train.FlowFromDirectory(trainDir, new DirectoryFlowOptions
            { TargetSize = (150, 150), BatchSize = 32, ClassMode = ClassMode.Binary, Seed = 42, Workers = 2 });
        int stepsPerEpoch = 2000 / 32, epochs = 50;
        foreach (var batch in trainGenerator.Take(Math.Min(epochs * stepsPerEpoch, 3)))      // (3 batches here)
            using (batch) { batches++; /* model.TrainStep(batch.X, batch.Shape, batch.Y); */ }
        // ---- README block ends ----

        Assert.Equal(20, Directory.GetFiles(previewDir, "cat_*.jpeg").Length + Directory.GetFiles(previewDir, "cat_*.jpg").Length);
        Assert.Equal(3, batches);
        Assert.Equal(6, trainGenerator.Samples);
        Directory.Delete(root, true);
    }
}
