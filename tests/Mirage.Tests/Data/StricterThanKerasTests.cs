using Mirage.Data;

namespace Mirage.Tests.Data;

/// <summary>
/// Where Mirage refuses what keras-preprocessing 1.1.0 accepts (checked with Debian's python3-keras-preprocessing),
/// deliberately: the error says what Keras would have done and how to get that. Listed in the README's deviations.
/// </summary>
public class StricterThanKerasTests
{
    private static DirectoryFlowOptions Options => new() { TargetSize = (2, 2), Decoder = FakeCodec.Decode, Shuffle = false };

    [Fact]
    public void AGivenClassWithoutAFolderIsAnErrorThatSaysWhatKerasDoes()
    {
        // Keras 1.1.0: classes=['a', 'b', 'missing'] → "Found 2 images belonging to 3 classes", index 2 kept.
        using var t = new TempDir();
        FakeCodec.Write(t["a/x.png"], 2, 2, 3, 1);
        FakeCodec.Write(t["b/y.png"], 2, 2, 3, 2);
        var e = Assert.Throws<DirectoryNotFoundException>(() => DataPipeline.FromDirectory<float>(t.Path, null, Options with { Classes = ["a", "b", "missing"] }));
        Assert.Contains("missing", e.Message);
        Assert.Contains("create the empty folder", e.Message);
    }

    [Fact]
    public void ASubsetWithoutAValidationSplitIsAnErrorThatSaysWhatKerasDoes()
    {
        // Keras 1.1.0: subset='training' with validation_split=0 iterates every file.
        using var t = new TempDir();
        FakeCodec.Write(t["a/x.png"], 2, 2, 3, 1);
        var e = Assert.Throws<ArgumentException>(() => DataPipeline.FromDirectory<float>(t.Path, null, Options with { Subset = Subset.Training }));
        Assert.Contains("validation_split is 0", e.Message);
        Assert.Contains("leave Subset unset", e.Message);
        using var all = DataPipeline.FromDirectory<float>(t.Path, null, Options);
        Assert.Equal(1, all.Samples);
    }
}
