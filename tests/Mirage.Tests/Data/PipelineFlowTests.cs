using System.Runtime.InteropServices;
using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Tests.Transforms.Pipelines;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Data;

/// <summary>
/// Flows of a generator built from a pipeline config: every sample is the pipeline's tape, drawn from
/// (seed, epoch, index), run on the loaded bytes (checked against TransformPipeline.Run on the same tape); the batch
/// holds the pipeline's output size; the bytes do not depend on the worker count.
/// </summary>
public class PipelineFlowTests
{
    private static readonly (int Height, int Width) Target = (40, 50);

    /// <summary>Two classes of PNGs (lossless) of assorted sizes: resized to the target first.</summary>
    internal static TempDir Tree(int perClass = 6)
    {
        var t = new TempDir();
        var rng = new RandomStream(8);
        int n = 0;
        foreach (var cls in new[] { "a", "b" })
            for (int i = 0; i < perClass; i++, n++)
            {
                var (h, w) = (n % 3) switch { 0 => (40, 50), 1 => (61, 37), _ => (23, 29) };
                using var img = new Image<byte>(h, w, 3);
                var s = img.Span;
                for (int k = 0; k < s.Length; k++) s[k] = (byte)((k * 13 % 251) ^ rng.NextInt(32));
                Directory.CreateDirectory(t[cls]);
                ImageEncoder.Save(img, t[$"{cls}/{i:D2}.png"], ImageFormat.Png);
            }
        return t;
    }

    private static ImageDataGenerator Generator() => ImageDataGenerator.FromJson(ParameterTapeTests.IssueConfig, "issue.json");

    private static BatchIterator<T> Flow<T>(ImageDataGenerator g, string dir, int workers, DataFormat? format = null) where T : unmanaged =>
        g.FlowFromDirectory<T>(dir, new DirectoryFlowOptions
        {
            TargetSize = Target, Interpolation = ResizeInterpolation.Bilinear, BatchSize = 5, Seed = 3, Epochs = 2, Workers = workers,
            DataFormat = format,
        });

    private static List<(int Epoch, int[] Indices, T[] X, float[] Y)> All<T>(BatchIterator<T> it) where T : unmanaged
    {
        var r = new List<(int, int[], T[], float[])>();
        foreach (var b in it)
            using (b) r.Add((b.Epoch, b.SampleIndices.ToArray(), b.X.ToArray(), b.Y.ToArray()));
        return r;
    }

    [Fact]
    public void FlowFromDirectoryRunsEachSamplesTapeIntoTheBatch()
    {
        using var t = Tree();
        var g = Generator();
        foreach (var format in new[] { DataFormat.ChannelsLast, DataFormat.ChannelsFirst })
        {
            using var it = Flow<float>(g, t.Path, workers: 0, format);
            Assert.Equal(ImageInfo.Create(96, 96, 3), it.SampleShape); // random_resized_crop's size, not the target's
            var load = ((FileSource)it.Source).LoadOptions;
            var layout = format;
            var batches = All(it);
            Assert.Equal(2 * 3, batches.Count);
            Assert.Equal(2 * 12, it.FusedSamples); // bytes precision: every sample took the byte route
            var expected = new float[it.SampleShape.Length];
            foreach (var (epoch, indices, x, _) in batches)
                for (int k = 0; k < indices.Length; k++)
                {
                    using var bytes = load.LoadBytes(it.Filepaths[indices[k]]);
                    var random = RandomStream.For(it.Seed, epoch, indices[k]);
                    var tape = g.Pipeline!.Sample(ref random, bytes.Info);
                    TransformPipeline.Run(tape, bytes, expected, layout);
                    Assert.True(expected.AsSpan().SequenceEqual(x.AsSpan(k * expected.Length, expected.Length)), $"epoch {epoch} sample {indices[k]}");
                }
        }
    }

    [Fact]
    public void OneAndTwoWorkersGiveTheSameBytesAndByteBatchesAreTheFloatsRounded()
    {
        using var t = Tree(perClass: 9);
        var g = Generator();
        var one = All(Flow<float>(g, t.Path, workers: 1));
        var two = All(Flow<float>(g, t.Path, workers: 2));
        var bytes = All(Flow<byte>(g, t.Path, workers: 2));
        Assert.Equal(one.Count, two.Count);
        for (int k = 0; k < one.Count; k++)
        {
            Assert.Equal(one[k].Indices, two[k].Indices);
            Assert.True(MemoryMarshal.AsBytes(one[k].X.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(two[k].X.AsSpan())), $"batch {k}");
            Assert.Equal(one[k].Y, two[k].Y);
            Assert.Equal(one[k].X.Select(v => (byte)v), bytes[k].X); // no scale: the floats are whole numbers 0..255
        }
    }

    [Fact]
    public void FlowOverArraysRunsTheTapeOnTheFloatImages()
    {
        const int n = 7, h = 30, w = 40, c = 3;
        var data = new float[n * h * w * c];
        var rng = new RandomStream(2);
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextInt(256);
        var x = new ImageArray(data, n, h, w, c);
        var g = Generator();
        List<(int Epoch, int[] Indices, float[] X, float[] Y)> Run(int workers)
        {
            using var it = g.Flow(x, Enumerable.Range(0, n).Select(i => (float)i).ToArray(), new FlowOptions { BatchSize = 3, Seed = 5, Epochs = 2, Workers = workers });
            return All(it);
        }
        var zero = Run(0);
        var two = Run(2);
        int length = 96 * 96 * 3;
        using var dst = new Image<float>(96, 96, 3);
        for (int b = 0; b < zero.Count; b++)
        {
            Assert.Equal(zero[b].X, two[b].X);
            for (int k = 0; k < zero[b].Indices.Length; k++)
            {
                int index = zero[b].Indices[k];
                using var src = Image<float>.Wrap(data.AsSpan(index * h * w * c, h * w * c).ToArray(), h, w, c);
                var random = RandomStream.For(5, zero[b].Epoch, index);
                TransformPipeline.Run(g.Pipeline!.Sample(ref random, src.Info), src, dst);
                Assert.True(dst.Span.SequenceEqual(zero[b].X.AsSpan(k * length, length)), $"batch {b} sample {index}");
            }
        }
    }

    [Fact]
    public void APipelineWhoseOutputsDifferInSizeIsRefusedNamingTheSizes()
    {
        using var t = Tree(perClass: 8);
        var g = ImageDataGenerator.FromJson("""
            {"transforms": [{"name": "one_of", "transforms": [
              {"name": "random_resized_crop", "size": [32, 32]}, {"name": "random_resized_crop", "size": [48, 48]}]}]}
            """);
        using var it = Flow<float>(g, t.Path, workers: 0);
        var e = Assert.Throws<MirageException>(() => { foreach (var b in it) b.Dispose(); });
        Assert.Contains("Every path through the pipeline must give one size", e.Message);
        Assert.Contains("32x32x3", e.Message + it.SampleShape);
        Assert.Contains("48x48x3", e.Message + it.SampleShape);
    }
}
