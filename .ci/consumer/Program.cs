// The consumer test's program (.ci/consumer-test.sh): a user's console app with only the Mirage package. It writes a
// small class-folder tree (reddish "cats", bluish "dogs", PNG and JPEG), flows augmented batches from it for one
// epoch and checks shapes, one-hot labels, value range, that each label matches its image's colour, and that every
// file is seen once. Exit code 1 on any failure.
using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;

string root = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "mirage-consumer-data");
var failures = new List<string>();
void Check(bool ok, string what) { if (!ok) failures.Add(what); }

var rng = new Random(7); // test data only; Mirage's own randomness comes from the flow's seed
foreach (var (cls, red, blue) in new[] { ("cats", 200, 40), ("dogs", 40, 200) })
{
    Directory.CreateDirectory(Path.Combine(root, cls));
    for (int i = 0; i < 6; i++)
    {
        using var img = new Image<byte>(30 + i, 40, 3);
        for (int y = 0; y < img.Height; y++)
            for (int x = 0; x < img.Width; x++)
            {
                img[y, x, 0] = (byte)(red + rng.Next(-20, 20));
                img[y, x, 1] = (byte)(100 + rng.Next(-20, 20));
                img[y, x, 2] = (byte)(blue + rng.Next(-20, 20));
            }
        ImageEncoder.Save(img, Path.Combine(root, cls, $"{cls}.{i}.{(i % 2 == 0 ? "png" : "jpg")}"));
    }
}

var datagen = new ImageDataGenerator(new ImageDataGeneratorOptions
{
    Rescale = 1.0 / 255, RotationRange = 30, WidthShiftRange = 0.1, ZoomRange = (0.9, 1.1),
    HorizontalFlip = true, FillMode = Mirage.Kernels.Geometric.FillMode.Nearest,
});
using var flow = datagen.FlowFromDirectory(root, new DirectoryFlowOptions
    { TargetSize = (32, 32), BatchSize = 4, ClassMode = ClassMode.Categorical, Seed = 1, Workers = 2 });

Check(flow.Samples == 12, $"expected 12 images, found {flow.Samples}");
Check(flow.ClassIndices.Count == 2 && flow.ClassIndices["cats"] == 0 && flow.ClassIndices["dogs"] == 1,
      "class indices should be cats=0, dogs=1: " + string.Join(", ", flow.ClassIndices));
var seen = new HashSet<int>();
int batches = 0;
foreach (var batch in flow.Take(flow.Length))
    using (batch)
    {
        batches++;
        Check(batch.Shape.SequenceEqual(new[] { 4, 32, 32, 3 }), $"batch {batches}: shape [{string.Join(", ", batch.Shape)}], expected [4, 32, 32, 3]");
        var x = batch.X;
        var y = batch.Y;
        Check(y.Length == batch.Count * 2, $"batch {batches}: {y.Length} label values for {batch.Count} samples, expected 2 each");
        for (int i = 0; i < batch.Count; i++)
        {
            seen.Add(batch.SampleIndices[i]);
            var sample = batch.Sample(i);
            double r = 0, b = 0;
            for (int p = 0; p < sample.Length; p += 3) { r += sample[p]; b += sample[p + 2]; }
            Check(sample.ToArray().All(v => v >= 0 && v <= 1), $"batch {batches} sample {i}: values outside [0, 1] after rescale");
            int label = y[i * 2] == 1 ? 0 : 1;
            Check(y[i * 2] + y[i * 2 + 1] == 1, $"batch {batches} sample {i}: label row [{y[i * 2]}, {y[i * 2 + 1]}] is not one-hot");
            Check((r > b) == (label == 0), $"batch {batches} sample {i}: label {label} does not match its colour (red {r:F0}, blue {b:F0})");
        }
    }
Check(batches == 3, $"expected 3 batches in an epoch, got {batches}");
Check(seen.Count == 12, $"expected every one of the 12 images once in an epoch, saw {seen.Count}");

if (failures.Count > 0)
{
    foreach (var f in failures) Console.Error.WriteLine("consumer: " + f);
    return 1;
}
Console.WriteLine($"consumer: {batches} batches of [4, 32, 32, 3] from {root}, labels match the images");
return 0;
