using Mirage.Generation;
using Mirage.Kernels.Geometric;

namespace Mirage.Tests.Generation;

public class GeneratorOptionsTests
{
    [Fact]
    public void DefaultsAreKeras()
    {
        var o = new ImageDataGenerator().Options;
        Assert.False(o.FeaturewiseCenter || o.SamplewiseCenter || o.FeaturewiseStdNormalization || o.SamplewiseStdNormalization || o.ZcaWhitening);
        Assert.Equal(1e-6, o.ZcaEpsilon);
        Assert.Equal((1.0, 1.0), o.ZoomRange);
        Assert.Equal(ShiftRange.None, o.WidthShiftRange);
        Assert.Null(o.BrightnessRange);
        Assert.Equal(FillMode.Nearest, o.FillMode);
        Assert.Equal(Interpolation.Bilinear, o.InterpolationOrder);
        Assert.Equal(DataFormat.ChannelsLast, o.DataFormat);
        Assert.Equal("float32", o.Dtype);
        Assert.Null(o.Rescale);
    }

    [Fact]
    public void ZcaTurnsFeaturewiseCenterOnAndStdOff()
    {
        var o = new ImageDataGenerator(new() { ZcaWhitening = true, FeaturewiseStdNormalization = true }).Options;
        Assert.True(o.FeaturewiseCenter);
        Assert.False(o.FeaturewiseStdNormalization);
        Assert.True(o.ZcaWhitening);
    }

    [Fact]
    public void FeaturewiseStdTurnsFeaturewiseCenterOn()
    {
        var o = new ImageDataGenerator(new() { FeaturewiseStdNormalization = true }).Options;
        Assert.True(o.FeaturewiseCenter);
        Assert.True(o.FeaturewiseStdNormalization);
    }

    [Fact]
    public void SamplewiseStdTurnsSamplewiseCenterOn()
    {
        var o = new ImageDataGenerator(new() { SamplewiseStdNormalization = true }).Options;
        Assert.True(o.SamplewiseCenter);
        Assert.False(o.FeaturewiseCenter);
    }

    public static TheoryData<string, ImageDataGeneratorOptions, string> Invalid => new()
    {
        { "zoom_range", new() { ZoomRange = (1.2, 0.8) }, "[lo, hi]" },
        { "zoom_range", new() { ZoomRange = (0, 2) }, "0 < lo" },
        { "brightness_range", new() { BrightnessRange = (1.5, 0.5) }, "lo ≤ hi" },
        { "brightness_range", new() { BrightnessRange = (-1, 0.5) }, "0 ≤ lo" },
        { "validation_split", new() { ValidationSplit = 1 }, "[0, 1)" },
        { "validation_split", new() { ValidationSplit = -0.1 }, "[0, 1)" },
        { "fill_mode", new() { FillMode = (FillMode)17 }, "\"constant\", \"nearest\", \"reflect\", \"wrap\"" },
        { "interpolation_order", new() { InterpolationOrder = (Interpolation)3 }, "0 (nearest) or 1 (bilinear)" },
        { "dtype", new() { Dtype = "float64" }, "float32" },
        { "data_format", new() { DataFormat = (DataFormat)5 }, "\"channels_last\" or \"channels_first\"" },
        { "rotation_range", new() { RotationRange = -5 }, "≥ 0" },
        { "shear_range", new() { ShearRange = double.NaN }, "≥ 0" },
        { "channel_shift_range", new() { ChannelShiftRange = -1 }, "≥ 0" },
        { "zca_epsilon", new() { ZcaEpsilon = 0 }, "> 0" },
        { "rescale", new() { Rescale = double.PositiveInfinity }, "1/255" },
        { "cval", new() { Cval = double.NaN }, "finite" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidOptionsNameTheOptionAndWhatIsAllowed(string option, ImageDataGeneratorOptions options, string allowed)
    {
        var e = Assert.Throws<InvalidOptionException>(() => new ImageDataGenerator(options));
        Assert.Equal(option, e.Option);
        Assert.StartsWith(option + ":", e.Message);
        Assert.Contains(allowed, e.Message);
    }

    [Fact]
    public void ShiftRangeFactoriesRejectNonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ShiftRange.Uniform(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShiftRange.Integer(-1));
        Assert.Throws<ArgumentException>(() => ShiftRange.Choices());
        Assert.Throws<ArgumentException>(() => ShiftRange.Choices(double.NaN));
        Assert.Equal(ShiftRange.Choices(1, 2), ShiftRange.Choices(1, 2)); // compared by value, not list reference
    }
}
