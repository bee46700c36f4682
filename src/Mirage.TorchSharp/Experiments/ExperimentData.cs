using Mirage.Codecs;
using Mirage.Data;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;

namespace Mirage.TorchSharp.Experiments;

/// <summary>
/// The three sets of an experiment, in memory as float images in 0..255 (channels-last) with class indices:
/// a class-balanced training subset, a validation set evaluated after every epoch (the curves), and the test set
/// the reported scores come from.
/// </summary>
public sealed record ExperimentData(
    string Description, IReadOnlyList<string> ClassNames,
    ImageArray TrainX, float[] TrainY, ImageArray ValidationX, float[] ValidationY, ImageArray TestX, float[] TestY)
{
    /// <summary>Number of classes (the length of ClassNames).</summary>
    public int Classes => ClassNames.Count;

    /// <summary>
    /// Fashion-MNIST: <paramref name="trainPerClass"/> training images per class and <paramref name="validationPerClass"/>
    /// validation images per class, drawn without overlap from the 60,000 training images with a fixed
    /// <paramref name="subsetSeed"/>; the full 10,000-image test set.
    /// </summary>
    public static ExperimentData FashionMnist(string directory, int trainPerClass, int validationPerClass, ulong subsetSeed = 0)
    {
        var data = Mirage.Data.FashionMnist.Load(directory);
        var (train, validation) = BalancedPick(data.TrainLabels, trainPerClass, validationPerClass, subsetSeed, directory);
        return new ExperimentData(
            $"Fashion-MNIST ({directory}): {train.Length} training images ({trainPerClass} per class), {validation.Length} validation, {data.TestImages.Count} test",
            Mirage.Data.FashionMnist.ClassNames,
            Rows(data.TrainImages, train), Labels(data.TrainLabels, train),
            Rows(data.TrainImages, validation), Labels(data.TrainLabels, validation),
            data.TestImages, data.TestLabels.Select(v => (float)v).ToArray());
    }

    /// <summary>
    /// A class-folder tree read into memory at <paramref name="height"/>×<paramref name="width"/> (bilinear resize,
    /// RGB or grayscale). The test set is <paramref name="testDirectory"/> (same class names) or, without it, a
    /// stratified <paramref name="testSplit"/> of the tree held out with <paramref name="subsetSeed"/>. Training takes
    /// up to <paramref name="trainPerClass"/> of the rest per class (0 = all); the per-epoch validation curves are
    /// computed on the test set (no choice is made from them).
    /// </summary>
    public static ExperimentData Folder(string directory, string? testDirectory, double testSplit, int trainPerClass,
        int height, int width, ColorMode colorMode, ulong subsetSeed = 0)
    {
        var scanOptions = new DirectoryFlowOptions { TargetSize = (height, width), ColorMode = colorMode };
        var tree = DataPipeline.ScanDirectory(directory, scanOptions);
        var classes = tree.ClassIndices.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
        if (classes.Length < 2)
            throw new ArgumentException($"--dir: '{directory}' needs at least two class folders with images; found {classes.Length}.");
        int[] treeLabels = tree.Classes.ToArray();
        int[] trainRows;
        string[] testPaths;
        int[] testLabels;
        if (testDirectory is not null)
        {
            var test = DataPipeline.ScanDirectory(testDirectory, scanOptions with { Classes = classes });
            testPaths = test.Filepaths.ToArray();
            testLabels = test.Classes.ToArray();
            (trainRows, _) = BalancedPick(treeLabels, trainPerClass, 0, subsetSeed, directory);
        }
        else
        {
            if (!(testSplit > 0 && testSplit < 1))
                throw new ArgumentException($"--test-split: must be in (0, 1) when there is no --test-dir; got {testSplit}.");
            int perClassMin = Enumerable.Range(0, classes.Length).Min(c => treeLabels.Count(l => l == c));
            int testPerClass = Math.Max(1, (int)(perClassMin * testSplit));
            var (test, rest) = BalancedPick(treeLabels, testPerClass, int.MaxValue, subsetSeed, directory);
            testPaths = test.Select(i => tree.Filepaths[i]).ToArray();
            testLabels = test.Select(i => treeLabels[i]).ToArray();
            trainRows = trainPerClass > 0
                ? rest.GroupBy(i => treeLabels[i]).SelectMany(g => g.Take(trainPerClass)).ToArray()
                : rest;
        }
        var trainX = Load(trainRows.Select(i => tree.Filepaths[i]).ToArray(), height, width, colorMode);
        var testX = Load(testPaths, height, width, colorMode);
        var trainY = trainRows.Select(i => (float)treeLabels[i]).ToArray();
        var testY = testLabels.Select(v => (float)v).ToArray();
        return new ExperimentData(
            $"{directory}: {trainRows.Length} training images, {testPaths.Length} test ({(testDirectory ?? $"{testSplit:P0} held out")}), {height}×{width}",
            classes, trainX, trainY, testX, testY, testX, testY);
    }

    /// <summary>
    /// Per class, a seeded shuffle of that class's positions: the first <paramref name="first"/> go to the first set,
    /// the next <paramref name="second"/> to the second (both capped by what the class has; 0 for first = all).
    /// </summary>
    internal static (int[] First, int[] Second) BalancedPick(IReadOnlyList<int> labels, int first, int second, ulong seed, string source)
    {
        int classes = labels.Count == 0 ? 0 : labels.Max() + 1;
        var a = new List<int>();
        var b = new List<int>();
        for (int c = 0; c < classes; c++)
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == c).ToArray();
            if (first > 0 && members.Length < first)
                throw new ArgumentException($"{source}: class {c} has {members.Length} images, fewer than the {first} per class asked for.");
            var pool = Permutation.Of(members.Length, StreamKeys.ExperimentClassPick(seed, c)).Select(i => members[i]).ToArray();
            int take = first > 0 ? first : pool.Length;
            a.AddRange(pool.Take(take));
            b.AddRange(pool.Skip(take).Take(second));
        }
        return (a.ToArray(), b.ToArray());
    }

    private static ImageArray Rows(ImageArray x, int[] rows)
    {
        int length = x.Height * x.Width * x.Channels;
        var data = new float[rows.Length * length];
        for (int i = 0; i < rows.Length; i++)
            Array.Copy(x.Data, (long)rows[i] * length, data, (long)i * length, length);
        return x with { Data = data, Count = rows.Length };
    }

    private static float[] Labels(IReadOnlyList<int> labels, int[] rows) => rows.Select(i => (float)labels[i]).ToArray();

    private static ImageArray Load(string[] paths, int height, int width, ColorMode colorMode)
    {
        int channels = colorMode switch { ColorMode.Grayscale => 1, ColorMode.Rgba => 4, _ => 3 };
        int length = height * width * channels;
        var data = new float[paths.Length * length];
        Parallel.For(0, paths.Length, i =>
        {
            using var decoded = ImageDecoder.Decode(paths[i], colorMode);
            using var resized = decoded.Height == height && decoded.Width == width
                ? null : Resize.To(decoded, height, width, ResizeInterpolation.Bilinear);
            var bytes = (resized ?? decoded).Span;
            var dst = data.AsSpan(i * length, length);
            for (int k = 0; k < length; k++) dst[k] = bytes[k];
        });
        return new ImageArray(data, paths.Length, height, width, channels);
    }
}
