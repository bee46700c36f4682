using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels.Photometric;
using Mirage.Tests.Kernels.Photometric;

namespace Mirage.Tests.Generation;

public class PreprocessingTests
{
    [Fact]
    public void ClaheFromJsonRoundTripsAndKeepsItsParameters()
    {
        var o = ImageDataGeneratorOptions.FromJson("""{"horizontal_flip": true, "preprocessing_function": {"name": "clahe", "clip_limit": 0.03}}""");
        var clahe = Preprocessing.Describe(o.PreprocessingFunction);
        Assert.NotNull(clahe);
        Assert.Equal(new ClaheParameters { ClipLimit = 0.03 }, clahe.Parameters);
        Assert.Equal(255f, clahe.ValueRange);
        Assert.Equal(o, ImageDataGeneratorOptions.FromJson(o.ToJson()));
        Assert.Contains("\"name\": \"clahe\"", o.ToJson());
    }

    [Theory]
    [InlineData("\"clahe\"", 0.01, 0, 0, 256, 255f)]
    [InlineData("""{"name": "clahe"}""", 0.01, 0, 0, 256, 255f)]
    [InlineData("""{"name": "clahe", "kernel_size": 8, "nbins": 64}""", 0.01, 8, 8, 64, 255f)]
    [InlineData("""{"name": "clahe", "kernel_size": [6, 10], "clip_limit": 1.0, "value_range": 1.0}""", 1.0, 6, 10, 256, 1f)]
    [InlineData("""{"name": "clahe", "kernel_size": null, "clip_limit": 0}""", 0.0, 0, 0, 256, 255f)]
    public void ClaheJsonForms(string value, double clip, int kh, int kw, int nbins, float range)
    {
        var o = ImageDataGeneratorOptions.FromJson($$"""{"preprocessing_function": {{value}}}""");
        var clahe = Preprocessing.Describe(o.PreprocessingFunction)!;
        Assert.Equal(new ClaheParameters { ClipLimit = clip, KernelHeight = kh, KernelWidth = kw, NBins = nbins }, clahe.Parameters);
        Assert.Equal(range, clahe.ValueRange);
        Assert.Equal(o, ImageDataGeneratorOptions.FromJson(o.ToJson()));
    }

    [Theory]
    [InlineData("""{"name": "equalize_hist"}""", "Known names: \"clahe\"")]
    [InlineData("""{"clip_limit": 0.03}""", "\"name\": \"clahe\"")]
    [InlineData("""{"name": "clahe", "clip": 0.03}""", "clip_limit, kernel_size, nbins")]
    [InlineData("""{"name": "clahe", "clip_limit": -0.1}""", "clip_limit must be a finite number ≥ 0")]
    [InlineData("""{"name": "clahe", "kernel_size": [8]}""", "[height, width]")]
    [InlineData("""{"name": "clahe", "kernel_size": 0}""", "[height, width]")]
    [InlineData("""{"name": "clahe", "nbins": 25.5}""", "whole number of bins")]
    [InlineData("""{"name": "clahe", "nbins": 0}""", "nbins must be between 1")]
    [InlineData("""{"name": "clahe", "value_range": 0}""", "value_range must be")]
    [InlineData("42", "null or a named function")]
    public void BadClaheConfigsSayWhatIsAllowed(string value, string expected)
    {
        var e = Assert.Throws<InvalidOptionException>(() => ImageDataGeneratorOptions.FromJson($$"""{"preprocessing_function": {{value}}}""", "cfg.json"));
        Assert.Equal("preprocessing_function", e.Option);
        Assert.StartsWith("cfg.json:", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void EqualArgumentsGiveTheSameDelegateAndCodeFunctionsWriteNull()
    {
        Assert.Same(Preprocessing.Clahe(0.03), Preprocessing.Clahe(new ClaheParameters { ClipLimit = 0.03 }));
        Assert.NotSame(Preprocessing.Clahe(0.03), Preprocessing.Clahe(0.02));
        var own = new ImageDataGeneratorOptions { PreprocessingFunction = _ => { } };
        Assert.Null(Preprocessing.Describe(own.PreprocessingFunction));
        Assert.Contains("\"preprocessing_function\": null", own.ToJson());
    }

    /// <summary>
    /// The Fashion-MNIST anchor's preprocessing_function, equalize_adapthist(x / 255, clip_limit=0.03) * 255 on a
    /// float32 28×28 image, through the generator's Standardize: the fixture's scikit-image output, bit for bit.
    /// </summary>
    [Fact]
    public void GeneratorStandardizeRunsClaheOnZeroTo255Images()
    {
        var c = ClaheFixtures.Cases.Single(k => k.Name == "fmnist_28x28_f32");
        var input = ClaheFixtures.Read(c.Input);
        var expected = ClaheFixtures.Read(c.Output).Floats!;
        var generator = new ImageDataGenerator(ImageDataGeneratorOptions.FromJson("""{"preprocessing_function": {"name": "clahe", "clip_limit": 0.03}}"""));
        using var image = new Image<float>(28, 28, 1);
        input.Floats!.CopyTo(image.Span);
        generator.Standardize(image);
        Assert.True(image.Span.SequenceEqual(expected));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void ValueRangeMustBeAFinitePositiveNumber(float range) =>
        Assert.Contains("value_range", Assert.Throws<ArgumentException>(() => Preprocessing.Clahe(new ClaheParameters(), range)).Message);

    [Fact]
    public void DescribeGivesBackTheStepsArguments()
    {
        Assert.Null(Preprocessing.Describe(null));
        var step = Preprocessing.Describe(Preprocessing.Clahe(new ClaheParameters { ClipLimit = 0.5, NBins = 64 }, float.Epsilon));
        Assert.NotNull(step);
        Assert.Equal(0.5, step!.Parameters.ClipLimit);
        Assert.Equal(64, step.Parameters.NBins);
        Assert.Equal(float.Epsilon, step.ValueRange);
        Assert.Equal(255f, Preprocessing.Describe(Preprocessing.Clahe(0.01))!.ValueRange);
        Assert.Equal(["clahe"], Preprocessing.Names);
    }
}
