using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;

namespace Mirage.Tests.Data;

public class TableAndArrayFlowTests
{
    private static TableFlowOptions Options(string dir) => new()
    {
        Directory = dir, TargetSize = (1, 1), Decoder = FakeCodec.Decode, Seed = 1, Shuffle = false, BatchSize = 10,
    };

    private static TempDir Files(params string[] names)
    {
        var t = new TempDir();
        for (int i = 0; i < names.Length; i++) FakeCodec.Write(t[names[i]], 1, 1, 3, (byte)i);
        return t;
    }

    [Fact]
    public void CsvWithCategoricalSparseBinaryRawAndWeights()
    {
        using var t = Files("a.png", "b.png", "c.png", "d.png");
        var table = Table.FromCsvText("filename,class,score,w\na.png,dog,0.5,1\nb.png,\"cat\",1.5,2\nc.png,dog,2.5,3\nd.png,cat,3.5,4\nmissing.png,cat,0,1\nnotes.txt,dog,0,1\n");
        var log = new StringWriter();
        using var cat = DataPipeline.FromTable<float>(table, null, Options(t.Path) with { WeightColumn = "w", Log = log });
        Assert.Equal(["a.png", "b.png", "c.png", "d.png"], cat.Filenames);
        Assert.Contains("2 invalid image filename", log.ToString());
        Assert.Equal(new Dictionary<string, int> { ["cat"] = 0, ["dog"] = 1 }, cat.ClassIndices);
        using (var b = cat.GetBatch(0))
        {
            Assert.Equal([0f, 1, 1, 0, 0, 1, 1, 0], b.Y.ToArray());
            Assert.Equal([1f, 2, 3, 4], b.SampleWeights.ToArray());
        }
        using var sparse = DataPipeline.FromTable<float>(table, null, Options(t.Path) with { ClassMode = ClassMode.Sparse });
        using (var b = sparse.GetBatch(0)) Assert.Equal([1f, 0, 1, 0], b.Y.ToArray());
        using var binary = DataPipeline.FromTable<float>(table, null, Options(t.Path) with { ClassMode = ClassMode.Binary });
        using (var b = binary.GetBatch(0)) Assert.Equal([1f, 0, 1, 0], b.Y.ToArray());
        using var raw = DataPipeline.FromTable<float>(table, null, Options(t.Path) with { ClassMode = ClassMode.Raw, YColumns = ["score", "w"] });
        using (var b = raw.GetBatch(0)) Assert.Equal([0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f, 4], b.Y.ToArray());
        using var multi = DataPipeline.FromTable<float>(table, null, Options(t.Path) with { ClassMode = ClassMode.MultiOutput, YColumns = ["score", "w"] });
        using (var b = multi.GetBatch(0))
        {
            Assert.Equal(2, b.Outputs.Count);
            Assert.Equal([1f, 2, 3, 4], b.Outputs[1].Span.ToArray());
        }
    }

    [Fact]
    public void MultiLabelGivenClassesAndSubsets()
    {
        using var t = Files("a.png", "b.png", "c.png", "d.png", "e.png");
        var table = new Table(["filename", "tags"],
            [["a.png", "sun|sea"], ["b.png", "sea"], ["c.png", "snow"], ["d.png", "sun"], ["e.png", "snow|sun"]]);
        var o = Options(t.Path) with { YColumns = ["tags"], LabelSeparator = "|" };
        using var all = DataPipeline.FromTable<float>(table, null, o);
        Assert.Equal(["sea", "snow", "sun"], all.ClassIndices.OrderBy(p => p.Value).Select(p => p.Key));
        using (var b = all.GetBatch(0)) Assert.Equal([1f, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1], b.Y.ToArray());
        // Keras drops rows with no label among the given classes.
        using var given = DataPipeline.FromTable<float>(table, null, o with { Classes = ["sea"] });
        Assert.Equal(["a.png", "b.png"], given.Filenames);
        using var val = DataPipeline.FromTable<float>(table, null, o with { Subset = Subset.Validation, ValidationSplit = 0.4 });
        Assert.Equal(["a.png", "b.png"], val.Filenames);
        using var train = DataPipeline.FromTable<float>(table, null, o with { Subset = Subset.Training, ValidationSplit = 0.4 });
        Assert.Equal(["c.png", "d.png", "e.png"], train.Filenames);
        Assert.Throws<ArgumentException>(() => DataPipeline.FromTable<float>(table, null, o with { ClassMode = ClassMode.Binary }));
    }

    [Fact]
    public void CsvQuotingAndErrors()
    {
        var t = Table.FromCsvText("filename,class\r\n\"a,b.png\",\"say \"\"hi\"\"\"\r\nc.png,x\r\n");
        Assert.Equal("a,b.png", t.Rows[0][0]);
        Assert.Equal("say \"hi\"", t.Rows[0][1]);
        Assert.Throws<FormatException>(() => Table.FromCsvText("filename,class\na.png\n"));
        Assert.Throws<FormatException>(() => Table.FromCsvText("filename,class\n\"a.png,x\n"));
        Assert.Throws<ArgumentException>(() => t.IndexOf("label"));
    }

    private static ImageArray Array(int n, DataFormat layout = DataFormat.ChannelsLast)
    {
        var data = new float[n * 2 * 3 * 1];
        for (int i = 0; i < data.Length; i++) data[i] = i / 6;
        return new ImageArray(data, n, 2, 3, 1, layout);
    }

    [Fact]
    public void FlowOverArraysPassesExtrasAndWeightsThrough()
    {
        var y = Enumerable.Range(0, 10).Select(i => (float)(i % 2)).ToArray();
        var extra = Enumerable.Range(0, 10).Select(i => i * 100f).ToArray();
        var w = Enumerable.Range(0, 10).Select(i => i * 0.1f).ToArray();
        using var it = DataPipeline.FromArrays<float>(Array(10), y, new FakeAugmenter(), new FlowOptions { BatchSize = 4, Seed = 3 }, w, [extra]);
        Assert.Equal(3, it.Length);
        using var b = it.GetBatch(2);
        Assert.Equal(2, b.Count);
        for (int i = 0; i < b.Count; i++)
        {
            int idx = b.SampleIndices[i];
            Assert.Equal(idx % 2, b.Y[i]);
            Assert.Equal(idx * 100f, b.ExtraInputs[0].Span[i]);
            Assert.Equal(idx * 0.1f, b.SampleWeights[i]);
        }
    }

    [Fact]
    public void ArraySubsetsAsKerasAndShuffled()
    {
        var y = new float[] { 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 };
        var o = new FlowOptions { BatchSize = 10, Seed = 3, Shuffle = false, ValidationSplit = 0.3 };
        using var val = DataPipeline.FromArrays<float>(Array(10), y, null, o with { Subset = Subset.Validation });
        using (var b = val.GetBatch(0)) Assert.Equal([0f, 1, 2], b.X.ToArray().Where((_, i) => i % 6 == 0));
        using var train = DataPipeline.FromArrays<float>(Array(10), y, null, o with { Subset = Subset.Training });
        Assert.Equal(7, train.Samples);
        var sorted = new float[] { 0, 0, 0, 0, 0, 1, 1, 1, 1, 1 };
        var e = Assert.Throws<ArgumentException>(() => DataPipeline.FromArrays<float>(Array(10), sorted, null, o with { Subset = Subset.Validation }));
        Assert.Contains("different number of classes", e.Message);
        using var shuffled = DataPipeline.FromArrays<float>(Array(10), sorted, null, o with { Subset = Subset.Validation, SplitMode = SplitMode.Shuffled, SplitSeed = 1 });
        Assert.Equal(3, shuffled.Samples);
    }

    [Fact]
    public void ChannelsFirstArraysAreReadAsSuch()
    {
        var data = new float[] { 1, 2, 3, 4, 10, 20, 30, 40 }; // one 2x2 image, 2 channels, CHW
        using var it = DataPipeline.FromArrays<float>(new ImageArray(data, 1, 2, 2, 2, DataFormat.ChannelsFirst), null, null,
            new FlowOptions { Seed = 1, DataFormat = DataFormat.ChannelsFirst });
        using var b = it.GetBatch(0);
        Assert.Equal(data, b.X.ToArray());
        using var last = DataPipeline.FromArrays<float>(new ImageArray(data, 1, 2, 2, 2, DataFormat.ChannelsFirst), null, null, new FlowOptions { Seed = 1 });
        using var bl = last.GetBatch(0);
        Assert.Equal([1f, 10, 2, 20, 3, 30, 4, 40], bl.X.ToArray());
    }

    [Fact]
    public void SaveToDirUsesKerasNamingWritesAtomicallyAndNeverOverwritesInputs()
    {
        using var t = Files("cls/in.png");
        var outDir = t["out"];
        using var it = DataPipeline.FromDirectory<float>(t.Path, new FakeAugmenter(), new DirectoryFlowOptions
        {
            TargetSize = (1, 1), Decoder = FakeCodec.Decode, Seed = 4, SaveToDir = outDir, SavePrefix = "aug", SaveFormat = global::Mirage.Codecs.ImageFormat.Jpeg,
        });
        float[] x;
        using (var b = it.GetBatch(0)) x = b.X.ToArray();
        var first = File.ReadAllBytes(Assert.Single(Directory.GetFiles(outDir)));
        it.GetBatch(0).Dispose(); // same seed, epoch and index: same name, replaced atomically
        // One file, no temp file left beside it (the write goes through AtomicFile once: a temp name, then a rename).
        var name = Assert.Single(Directory.GetFiles(outDir, "*", SearchOption.AllDirectories));
        Assert.Matches(@"^aug_0_\d{1,7}\.jpeg$", Path.GetFileName(name));
        // What ImageEncoder writes for the saved sample (array_to_img scaling) at its default quality, 95: SaveJpegQuality unset.
        using var sample = Image<float>.Wrap(x, 1, 1, 3);
        using var viewable = SaveToDirWriter.ToViewable(sample);
        var expected = global::Mirage.Codecs.ImageEncoder.Encode(viewable, global::Mirage.Codecs.ImageFormat.Jpeg, 95);
        Assert.Equal(expected, File.ReadAllBytes(name));
        Assert.Equal(expected, first);

        // Saving into the input folder with a name that collides with an input picks another hash.
        var writer = new SaveToDirWriter(t["cls"], "in", global::Mirage.Codecs.ImageFormat.Png, p => p == Path.GetFullPath(t["cls/in_0_5.png"]));
        using var img = new Image<float>(1, 1, 3);
        var path = writer.Save(img, 0, 5);
        Assert.EndsWith("in_0_6.png", path);
    }

    [Fact]
    public void ViewableScalingIsKerasArrayToImg()
    {
        using var x = Image<float>.Wrap([-1f, 0f, 1f, 3f], 2, 2, 1);
        using var v = SaveToDirWriter.ToViewable(x);
        Assert.Equal([0, 63, 127, 255], v.Span.ToArray());
    }

    [Fact]
    public void StreamingStatisticsAreExactAndOrderIndependent()
    {
        using var t = new TempDir();
        var all = new List<byte[]>();
        var rnd = new Mirage.Randomness.RandomStream(5);
        for (int i = 0; i < 12; i++)
        {
            FakeCodec.Write(t[$"c{i % 3}/{i}.png"], 3, 2, 3, (byte)rnd.NextInt(256));
            all.Add(File.ReadAllBytes(t[$"c{i % 3}/{i}.png"]));
        }
        var s1 = FeaturewiseStatistics.OfDirectory(t.Path, decoder: FakeCodec.Decode, workers: 1);
        var s2 = FeaturewiseStatistics.OfDirectory(t.Path, decoder: FakeCodec.Decode, workers: 2);
        Assert.Equal(s1.Mean, s2.Mean);
        Assert.Equal(s1.Std, s2.Std);
        Assert.Equal(12, s1.Images);
        var values = all.Select(b => (double)b[^1]).SelectMany(v => Enumerable.Repeat(v, 6)).ToArray();
        double mean = values.Average(), std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        Assert.Equal(mean, s1.Mean[0], 10);
        Assert.Equal(std, s1.Std[2], 10);
    }
}
