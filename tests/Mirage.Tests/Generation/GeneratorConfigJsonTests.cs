using Mirage.Generation;
using Mirage.Kernels.Geometric;

namespace Mirage.Tests.Generation;

public class GeneratorConfigJsonTests
{
    [Fact]
    public void PastedKerasConfigLoads()
    {
        var o = ImageDataGeneratorOptions.FromJson("""
            {"rotation_range": 40, "width_shift_range": 0.2, "height_shift_range": 0.2, "shear_range": 0.2,
             "zoom_range": 0.2, "horizontal_flip": true, "fill_mode": "nearest"}
            """, "keras.json");
        Assert.Equal(40, o.RotationRange);
        Assert.Equal(ShiftRange.Uniform(0.2), o.WidthShiftRange);
        Assert.Equal(ShiftRange.Uniform(0.2), o.HeightShiftRange);
        Assert.Equal(0.2, o.ShearRange);
        Assert.Equal(0.8, o.ZoomRange.Low, 12);
        Assert.Equal(1.2, o.ZoomRange.High, 12);
        Assert.True(o.HorizontalFlip);
        Assert.False(o.VerticalFlip);
        Assert.Equal(FillMode.Nearest, o.FillMode);
        Assert.Equal(new ImageDataGeneratorOptions() with
        {
            RotationRange = 40, WidthShiftRange = 0.2, HeightShiftRange = 0.2, ShearRange = 0.2, ZoomRange = (1 - 0.2, 1 + 0.2), HorizontalFlip = true,
        }, o);
    }

    [Fact]
    public void EveryOptionLoads()
    {
        var o = ImageDataGeneratorOptions.FromJson("""
            {
              "featurewise_center": true, "samplewise_center": true, "featurewise_std_normalization": true,
              "samplewise_std_normalization": true, "zca_whitening": true, "zca_epsilon": 1e-5,
              "rotation_range": 15.5, "width_shift_range": [0.1, 0.2], "height_shift_range": 5,
              "brightness_range": [0.5, 1.5], "shear_range": 10, "zoom_range": [0.9, 1.3],
              "channel_shift_range": 20.0, "fill_mode": "reflect", "cval": 7, "horizontal_flip": false,
              "vertical_flip": true, "rescale": "1/255", "preprocessing_function": null,
              "data_format": "channels_first", "validation_split": 0.25, "interpolation_order": 0,
              "dtype": "float32", "keras_compatible": true,
            }
            """, "all.json");
        Assert.True(o.FeaturewiseCenter && o.SamplewiseCenter && o.FeaturewiseStdNormalization && o.SamplewiseStdNormalization && o.ZcaWhitening);
        Assert.Equal(1e-5, o.ZcaEpsilon);
        Assert.Equal(15.5, o.RotationRange);
        Assert.Equal(ShiftRange.Choices(0.1, 0.2), o.WidthShiftRange);
        Assert.Equal(ShiftRange.Integer(5), o.HeightShiftRange);
        Assert.Equal((0.5, 1.5), o.BrightnessRange);
        Assert.Equal(10, o.ShearRange);
        Assert.Equal((0.9, 1.3), o.ZoomRange);
        Assert.Equal(20, o.ChannelShiftRange);
        Assert.Equal(FillMode.Reflect, o.FillMode);
        Assert.Equal(7, o.Cval);
        Assert.True(o.VerticalFlip);
        Assert.Equal(1.0 / 255, o.Rescale);
        Assert.Equal(DataFormat.ChannelsFirst, o.DataFormat);
        Assert.Equal(0.25, o.ValidationSplit);
        Assert.Equal(Interpolation.Nearest, o.InterpolationOrder);
        Assert.True(o.KerasCompatible);
        Assert.Equal(o, ImageDataGeneratorOptions.FromJson(o.ToJson()));
    }

    [Theory]
    [InlineData("5", ShiftRange.Kind.Integer, 5)]
    [InlineData("5.0", ShiftRange.Kind.Uniform, 5)]
    [InlineData("5e0", ShiftRange.Kind.Uniform, 5)]
    [InlineData("0.2", ShiftRange.Kind.Uniform, 0.2)]
    [InlineData("0", ShiftRange.Kind.Integer, 0)]
    public void IntAndFloatShiftsStayDistinct(string literal, ShiftRange.Kind kind, double value)
    {
        var o = ImageDataGeneratorOptions.FromJson($$"""{"width_shift_range": {{literal}}}""");
        Assert.Equal(kind, o.WidthShiftRange.Mode);
        Assert.Equal(value, o.WidthShiftRange.Value);
        Assert.Equal(o, ImageDataGeneratorOptions.FromJson(o.ToJson())); // 5.0 must not come back as 5
    }

    [Theory]
    [InlineData("""{"rescale": 0.5}""", 0.5)]
    [InlineData("""{"rescale": "1/255"}""", 1.0 / 255)]
    [InlineData("""{"rescale": " 1 / 127.5 "}""", 1.0 / 127.5)]
    [InlineData("""{"rescale": "0.25"}""", 0.25)]
    public void RescaleAcceptsNumbersAndFractions(string json, double expected) =>
        Assert.Equal(expected, ImageDataGeneratorOptions.FromJson(json).Rescale!.Value, 15);

    [Fact]
    public void NullsMeanKerasDefaults()
    {
        var o = ImageDataGeneratorOptions.FromJson("""{"rescale": null, "brightness_range": null, "data_format": null, "dtype": null, "preprocessing_function": null}""");
        Assert.Equal(new ImageDataGeneratorOptions(), o);
    }

    [Fact]
    public void RoundTripOfDefaultsAndOfCustomOptions()
    {
        var defaults = new ImageDataGeneratorOptions();
        Assert.Equal(defaults, ImageDataGeneratorOptions.FromJson(defaults.ToJson()));
        var custom = new ImageDataGeneratorOptions
        {
            RotationRange = 1.0 / 3, WidthShiftRange = ShiftRange.Integer(3), HeightShiftRange = ShiftRange.Choices(1, 2.5),
            ZoomRange = (0.7, 1.0), Rescale = 1.0 / 255, BrightnessRange = (0.2, 0.2), FillMode = FillMode.Wrap, Cval = -1.5,
        };
        string json = custom.ToJson();
        Assert.Equal(custom, ImageDataGeneratorOptions.FromJson(json));
        Assert.Contains("\"width_shift_range\": 3,", json);
        Assert.Contains("\"zoom_range\": [0.7, 1.0]", json);
    }

    [Theory]
    [InlineData("""{"rotation": 40}""", "rotation", "rotation_range")]
    [InlineData("""{"horizontal_flips": true}""", "horizontal_flips", "horizontal_flip")]
    [InlineData("""{"zoom-range": 0.2}""", "zoom-range", "zoom_range")]
    [InlineData("""{"featurewise_centre": true}""", "featurewise_centre", "featurewise_center")]
    public void UnknownKeysSuggestTheNearest(string json, string key, string suggestion)
    {
        var e = Assert.Throws<InvalidOptionException>(() => ImageDataGeneratorOptions.FromJson(json, "cfg.json"));
        Assert.Equal(key, e.Option);
        Assert.StartsWith("cfg.json:", e.Message);
        Assert.Contains($"did you mean \"{suggestion}\"", e.Message);
    }

    [Theory]
    [InlineData("""{"preprocessing_function": "my_fn"}""", "preprocessing_function", "PreprocessingFunction")]
    [InlineData("""{"fill_mode": "mirror"}""", "fill_mode", "\"reflect\"")]
    [InlineData("""{"interpolation_order": 3}""", "interpolation_order", "0 (nearest) or 1 (bilinear)")]
    [InlineData("""{"interpolation_order": 1.0}""", "interpolation_order", "0 (nearest)")]
    [InlineData("""{"zoom_range": [0.5, 1, 2]}""", "zoom_range", "[lo, hi]")]
    [InlineData("""{"zoom_range": 1.5}""", "zoom_range", "0 < lo")]
    [InlineData("""{"brightness_range": 0.5}""", "brightness_range", "[lo, hi]")]
    [InlineData("""{"validation_split": 1.0}""", "validation_split", "[0, 1)")]
    [InlineData("""{"data_format": "NHWC"}""", "data_format", "channels_last")]
    [InlineData("""{"dtype": "uint8"}""", "dtype", "float32")]
    [InlineData("""{"horizontal_flip": "yes"}""", "horizontal_flip", "true or false")]
    [InlineData("""{"width_shift_range": -3}""", "width_shift_range", "an int N")]
    [InlineData("""{"width_shift_range": "0.2"}""", "width_shift_range", "a float")]
    [InlineData("""{"rescale": "1/0"}""", "rescale", "\"1/255\"")]
    [InlineData("""{"rotation_range": 10, "rotation_range": 20}""", "rotation_range", "twice")]
    public void BadValuesNameTheOptionAndWhatIsAllowed(string json, string option, string allowed)
    {
        var e = Assert.Throws<InvalidOptionException>(() => ImageDataGeneratorOptions.FromJson(json, "cfg.json"));
        Assert.Equal(option, e.Option);
        Assert.StartsWith("cfg.json:", e.Message);
        Assert.Contains(option, e.Message);
        Assert.Contains(allowed, e.Message);
    }

    [Fact]
    public void PythonLiteralsGetAHint()
    {
        var e = Assert.Throws<InvalidOptionException>(() => ImageDataGeneratorOptions.FromJson("{'horizontal_flip': True}", "cfg"));
        Assert.Contains("true/false/null", e.Message);
        Assert.Throws<InvalidOptionException>(() => ImageDataGeneratorOptions.FromJson("[1, 2]"));
    }
}
