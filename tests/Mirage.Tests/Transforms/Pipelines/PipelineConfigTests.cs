using Mirage.Generation;
using Mirage.Codecs;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Randomness;
using Mirage.Tests.Cli;
using Mirage.Transforms;
using Mirage.Transforms.Composition;
using Mirage.Transforms.Geometric;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Transforms.Pipelines;

/// <summary>Pipeline configs in JSON: the issue's config on a real photo, round trips, and errors with "did you mean".</summary>
public class PipelineConfigTests
{
    [Fact]
    public void TheIssuesConfigRunsOnARealPhoto()
    {
        var pipeline = TransformPipeline.FromJson(ParameterTapeTests.IssueConfig, source: "that.json");
        using var photo = ImageDecoder.Decode(CliRunner.Sample("chelsea.jpg"), ColorMode.Rgb);
        var seen = new HashSet<string>();
        var tape = new ParameterTape();
        for (int i = 0; i < 30; i++)
        {
            var random = RandomStream.For(2026, 0, i);
            pipeline.Sample(ref random, photo.Info, tape);
            Assert.Equal(ImageInfo.Create(96, 96, 3), tape.Output);
            Assert.Equal("random_resized_crop", tape.NameAt(0));
            seen.Add(tape.NameAt(1));
            using var output = TransformPipeline.Run(tape, photo);
            Assert.Equal(ImageInfo.Create(96, 96, 3), output.Info);
            Assert.True(output.Span.IndexOfAnyExcept((byte)0) >= 0);
            var floats = new float[output.Length];
            TransformPipeline.Run(tape, photo, floats, DataFormat.ChannelsFirst);
            using var replay = TransformPipeline.Run(ParameterTape.FromJson(tape.ToJson()), photo);
            Assert.True(output.Span.SequenceEqual(replay.Span));
        }
        Assert.Equal(["color_jitter", "horizontal_flip"], seen.Order());
    }

    [Fact]
    public void ConfigsRoundTrip()
    {
        var pipeline = TransformPipeline.FromJson(ParameterTapeTests.IssueConfig);
        string json = pipeline.ToJson();
        var again = TransformPipeline.FromJson(json);
        Assert.Equal(json, again.ToJson());
        var crop = (RandomResizedCropOptions)pipeline.Options.Transforms[0];
        Assert.Equal(new Size(96, 96), crop.Size);
        Assert.Equal(new Interval(0.75, 1.3333), crop.Ratio);
        var oneOf = (OneOfOptions)pipeline.Options.Transforms[1];
        Assert.Equal([0.7, 0.3], oneOf.Weights);
        Assert.Equal(2, oneOf.Transforms.Count);
    }

    [Theory]
    [InlineData("""{"transforms": [{"name": "rotation", "degrees": 3}]}""", "unknown transform 'rotation'. Did you mean 'rotate'?")]
    [InlineData("""{"transforms": [{"name": "rotate", "degree": 3}]}""", "unknown option 'degree'. Did you mean 'degrees'?")]
    [InlineData("""{"transforms": [{"name": "one_of", "wieghts": [1], "transforms": [{"name": "rotate"}]}]}""", "unknown option 'wieghts'. Did you mean 'weights'?")]
    [InlineData("""{"transforms": [{"name": "one_of", "transforms": [{"name": "colour_jitter"}]}]}""", "transforms[0] (one_of).transforms[0]: unknown transform 'colour_jitter'. Did you mean 'color_jitter'?")]
    [InlineData("""{"transforms": [{"name": "rotate", "degrees": -5}]}""", "rotate: option 'degrees' must be in >= 0, got -5")]
    [InlineData("""{"transforms": [{"name": "random_resized_crop", "size": [0, 96]}]}""", "random_resized_crop: option 'size' must be in [1, 65535], got 0")]
    [InlineData("""{"transforms": [{"name": "random_resized_crop", "scale": [0.9, 0.3]}]}""", "option 'scale' must be [low, high] with low <= high")]
    [InlineData("""{"transforms": [{"name": "zoom", "range": 3}]}""", "option 'range'")]
    [InlineData("""{"transfroms": []}""", "a pipeline config is")]
    [InlineData("""{"transforms": [{"degrees": 3}]}""", "has no \"name\"")]
    public void MistakesAreNamedWithASuggestion(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => TransformPipeline.FromJson(json, source: "my.json"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("my.json", e.Message);
    }

    [Fact]
    public void PipelineConfigsAreToldApartFromKerasDicts()
    {
        Assert.True(PipelineConfig.IsPipelineConfig(ParameterTapeTests.IssueConfig));
        Assert.False(PipelineConfig.IsPipelineConfig("""{"rotation_range": 20}"""));
        Assert.False(PipelineConfig.IsPipelineConfig("not json"));
    }

    [Fact]
    public void UsersRegisterTheirOwnTransformsOnTheirOwnRegistry()
    {
        var registry = TransformRegistry.CreateDefault();
        registry.Register<SkewOptions>();
        var pipeline = TransformPipeline.FromJson("""{"transforms": [{"name": "skew", "amount": 0.1}, {"name": "rotate", "degrees": 5}]}""", registry);
        Assert.Equal(0.1, ((SkewOptions)pipeline.Options.Transforms[0]).Amount);
        Assert.Throws<InvalidOperationException>(() => TransformRegistry.Default.Register<SkewOptions>());
        Assert.Throws<FormatException>(() => TransformPipeline.FromJson("""{"transforms": [{"name": "skew"}]}"""));
    }
}
