using Mirage.Codecs;
using Mirage.Data;

namespace Mirage.Tests.Data;

public class DirectoryFlowTests
{
    private static DirectoryFlowOptions Options => new()
    {
        TargetSize = (2, 2), Decoder = FakeCodec.Decode, Seed = 1, Shuffle = false, BatchSize = 4, Epochs = 1,
    };

    private static TempDir Tree()
    {
        var t = new TempDir();
        FakeCodec.Write(t["cats/b.png"], 2, 2, 3, 10);
        FakeCodec.Write(t["cats/a.JPG"], 2, 2, 3, 11);
        FakeCodec.Write(t["cats/sub/c.jpeg"], 2, 2, 3, 12);
        FakeCodec.Write(t["cats/sub-x/d.webp"], 2, 2, 3, 13);
        FakeCodec.Write(t["cats/sub/deeper/e.png"], 2, 2, 3, 14);
        File.WriteAllText(t["cats/notes.txt"], "not an image");
        FakeCodec.Write(t["dogs/z.bmp"], 2, 2, 3, 20);
        FakeCodec.Write(t["dogs/y.tiff"], 4, 4, 3, 21);
        FakeCodec.Write(t["dogs/x.ppm"], 2, 2, 3, 22);
        FakeCodec.Write(t["dogs/w.tif"], 2, 2, 3, 23);
        FakeCodec.Write(t["dogs/v.gif"], 2, 2, 3, 24); // not in Keras's list; Mirage reads GIFs everywhere (documented)
        FakeCodec.Write(t["loose.png"], 2, 2, 3, 1);    // not in a class folder
        return t;
    }

    [Fact]
    public void FindsClassesAndFilesInKerasOrder()
    {
        using var t = Tree();
        using var it = DataPipeline.FromDirectory<float>(t.Path, null, Options);
        Assert.Equal(new Dictionary<string, int> { ["cats"] = 0, ["dogs"] = 1 }, it.ClassIndices);
        // Keras's order (checked against keras_preprocessing): folders sorted by full path, so "sub-x" ('-' is 0x2d)
        // comes between "sub" and "sub/deeper" ('/' is 0x2f).
        Assert.Equal(
            ["cats/a.JPG", "cats/b.png", "cats/sub/c.jpeg", "cats/sub-x/d.webp", "cats/sub/deeper/e.png",
             "dogs/v.gif", "dogs/w.tif", "dogs/x.ppm", "dogs/y.tiff", "dogs/z.bmp"],
            it.Filenames);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], it.Classes);
        using var b = it.GetBatch(1);
        Assert.Equal([1, 0, 0, 1, 0, 1, 0, 1], b.Y.ToArray()); // categorical one-hot
        Assert.Equal(14f, b.Sample(0)[0]);
        Assert.Equal(23f, b.Sample(2)[0]);
        Assert.Equal(22f, b.Sample(3)[0]);
        using var last = it.GetBatch(2);
        Assert.Equal(21f, last.Sample(0)[0]); // the 4x4 file was resized to 2x2
    }

    [Fact]
    public void GivenClassListKeepsItsOrderAndModesShapeLabels()
    {
        using var t = Tree();
        using var sparse = DataPipeline.FromDirectory<float>(t.Path, null, Options with { Classes = ["dogs", "cats"], ClassMode = ClassMode.Sparse });
        Assert.Equal(1, sparse.ClassIndices["cats"]);
        Assert.StartsWith("dogs/", sparse.Filenames[0]);
        using (var b = sparse.GetBatch(0)) Assert.Equal([0f, 0, 0, 0], b.Y.ToArray());
        using (var b = sparse.GetBatch(1)) Assert.Equal([0f, 1, 1, 1], b.Y.ToArray()); // dogs has 5 files (v.gif among them)
        using var binary = DataPipeline.FromDirectory<float>(t.Path, null, Options with { ClassMode = ClassMode.Binary });
        using (var b = binary.GetBatch(1)) Assert.Equal([0f, 1, 1, 1], b.Y.ToArray());
        using var none = DataPipeline.FromDirectory<float>(t.Path, null, Options with { ClassMode = ClassMode.None });
        using (var b = none.GetBatch(0)) Assert.Empty(b.Outputs);
        using var input = DataPipeline.FromDirectory<float>(t.Path, null, Options with { ClassMode = ClassMode.Input });
        using (var b = input.GetBatch(0)) Assert.Throws<InvalidOperationException>(() => b.Y.Length);
    }

    [Fact]
    public void ValidationSplitIsPerClassAsKeras()
    {
        using var t = new TempDir();
        for (int i = 0; i < 10; i++) FakeCodec.Write(t[$"a/{i:D2}.png"], 1, 1, 3, (byte)i);
        for (int i = 0; i < 5; i++) FakeCodec.Write(t[$"b/{i:D2}.png"], 1, 1, 3, (byte)(100 + i));
        var o = Options with { TargetSize = (1, 1), ValidationSplit = 0.3 };
        using var val = DataPipeline.FromDirectory<float>(t.Path, null, o with { Subset = Subset.Validation });
        using var train = DataPipeline.FromDirectory<float>(t.Path, null, o with { Subset = Subset.Training });
        // int(0.3 * 10) = 3 and int(0.3 * 5) = 1 first files of each class are validation.
        Assert.Equal(["a/00.png", "a/01.png", "a/02.png", "b/00.png"], val.Filenames);
        Assert.Equal(11, train.Samples);
        Assert.Empty(val.Filenames.Intersect(train.Filenames));
        using var sval = DataPipeline.FromDirectory<float>(t.Path, null, o with { Subset = Subset.Validation, SplitMode = SplitMode.Shuffled, SplitSeed = 5 });
        using var strain = DataPipeline.FromDirectory<float>(t.Path, null, o with { Subset = Subset.Training, SplitMode = SplitMode.Shuffled, SplitSeed = 5 });
        Assert.Equal(4, sval.Samples);
        Assert.Equal(15, sval.Filenames.Union(strain.Filenames).Count());
        Assert.NotEqual(val.Filenames, sval.Filenames);
        Assert.Throws<ArgumentException>(() => DataPipeline.FromDirectory<float>(t.Path, null, Options with { Subset = Subset.Training }));
    }

    [Fact]
    public void FollowLinksEntersLinkedFoldersAndSkipsCycles()
    {
        using var t = new TempDir();
        using var outside = new TempDir();
        FakeCodec.Write(t["a/1.png"], 1, 1, 3, 1);
        FakeCodec.Write(outside["2.png"], 1, 1, 3, 2);
        Directory.CreateSymbolicLink(t["a/linked"], outside.Path);
        Directory.CreateSymbolicLink(t["a/loop"], t["a"]); // a cycle
        var log = new StringWriter();
        var o = Options with { TargetSize = (1, 1), Log = log };
        using (var plain = DataPipeline.FromDirectory<float>(t.Path, null, o)) Assert.Equal(["a/1.png"], plain.Filenames);
        using var follow = DataPipeline.FromDirectory<float>(t.Path, null, o with { FollowLinks = true });
        Assert.Equal(["a/1.png", "a/linked/2.png"], follow.Filenames);
        Assert.Contains("links back", log.ToString());
    }

    [Fact]
    public void ExtensionsAreKerasListPlusWebpAndGifCaseInsensitive()
    {
        foreach (var ok in new[] { "a.png", "a.PNG", "b.Jpg", "c.jpeg", "d.bmp", "e.ppm", "f.tif", "g.TIFF", "h.webp", "i.gif" })
            Assert.True(ImageFiles.HasImageExtension(ok), ok);
        // Keras 1.1.0 matches the suffix without a dot, so it lists "png" and "noext_png" too; Mirage needs the dot
        // (a name ending in "png" without one is not an image file; documented in the README's deviations).
        foreach (var no in new[] { "png", "noext_png", "a.png.txt", "a.jpgx", ".txt" })
            Assert.False(ImageFiles.HasImageExtension(no), no);
    }
}
