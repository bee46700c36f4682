using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Tests.Transforms.Pipelines;
using Mirage.Transforms;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Generation;

/// <summary>ImageDataGenerator.FromJson takes Keras's dict or a pipeline config; a pipeline generator refuses Keras-only calls clearly.</summary>
public class PipelineGeneratorTests
{
    [Fact]
    public void FromJsonReadsAPipelineConfig()
    {
        var g = ImageDataGenerator.FromJson(ParameterTapeTests.IssueConfig, "issue.json");
        Assert.NotNull(g.Pipeline);
        Assert.Equal(TransformPipeline.FromJson(ParameterTapeTests.IssueConfig).ToJson(), g.Pipeline!.ToJson());
        Assert.Equal("random_resized_crop, one_of", g.Pipeline.ToString());
        var random = new RandomStream(1);
        Assert.Equal(ImageInfo.Create(96, 96, 3), g.Pipeline.Sample(ref random, ImageInfo.Create(120, 80, 3)).Output);
    }

    [Fact]
    public void FromJsonStillReadsKerasOptions()
    {
        var g = ImageDataGenerator.FromJson("""{"rotation_range": 40, "horizontal_flip": true}""");
        Assert.Equal(new ImageDataGeneratorOptions { RotationRange = 40, HorizontalFlip = true }, g.Options);
        var p = g.GetRandomTransform(ImageInfo.Create(8, 8, 3), 3UL);
        Assert.Equal(new ImageDataGenerator(g.Options).GetRandomTransform(ImageInfo.Create(8, 8, 3), 3UL), p);
    }

    [Fact]
    public void ErrorsNameTheSourceAndSuggest()
    {
        var e = Assert.Throws<FormatException>(() => ImageDataGenerator.FromJson("""{"transforms": [{"name": "random_resized_crp"}]}""", "my.json"));
        Assert.Contains("my.json", e.Message);
        Assert.Contains("Did you mean 'random_resized_crop'?", e.Message);
        var k = Assert.Throws<InvalidOptionException>(() => ImageDataGenerator.FromJson("""{"rotation_rang": 40}""", "k.json"));
        Assert.Contains("k.json", k.Message);
    }

    [Fact]
    public void KerasOnlyCallsOnAPipelineGeneratorSayWhatToUseInstead()
    {
        var g = new ImageDataGenerator(new TransformPipeline(new Mirage.Transforms.Geometric.HorizontalFlipOptions()),
            DataFormat.ChannelsFirst, validationSplit: 0.25);
        Assert.Equal(DataFormat.ChannelsFirst, g.Options.DataFormat);
        Assert.Equal(0.25, g.Options.ValidationSplit);
        using var x = new Image<float>(4, 5, 3);
        var random = new RandomStream(1);
        void Refused(string member, Action call, string advice)
        {
            var e = Assert.Throws<InvalidOperationException>(call);
            Assert.StartsWith($"{member} belongs to Keras's options, but this generator runs a transform pipeline (horizontal_flip).", e.Message);
            Assert.Contains(advice, e.Message);
        }
        Refused("GetRandomTransform", () => g.GetRandomTransform(x.Info, 1UL), "Pipeline.Sample");
        Refused("RandomTransform", () => g.RandomTransform(x, 1UL).Dispose(), "Pipeline.Sample");
        Refused("ApplyTransform", () => g.ApplyTransform(x, TransformParameters.Identity).Dispose(), "TransformPipeline.Run");
        Refused("Standardize", () => g.Standardize(x), "\"normalize\"");
        Refused("Fit", () => g.Fit([x]), "mirage stats");
        Refused("Mean", () => g.Mean = [1f, 2f, 3f], "\"normalize\"");
        Assert.Null(g.Mean);
    }
}
