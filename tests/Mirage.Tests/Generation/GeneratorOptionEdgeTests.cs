using Mirage.Generation;
using Mirage.Kernels.Geometric;

namespace Mirage.Tests.Generation;

/// <summary>
/// Each option's allowed range at its edges: the last value Keras accepts passes, the first one past it (or a
/// non-finite one) is refused and named. Complements GeneratorOptionsTests, which checks the messages.
/// </summary>
public class GeneratorOptionEdgeTests
{
    public static TheoryData<ImageDataGeneratorOptions> Accepted => new()
    {
        new() { ZcaEpsilon = double.Epsilon },
        new() { RotationRange = 0 },
        new() { BrightnessRange = (0, 0) },
        new() { BrightnessRange = (0.5, 0.5) },
        new() { ShearRange = 0 },
        new() { ZoomRange = (1e-9, 1e-9) },
        new() { ChannelShiftRange = 0 },
        new() { Cval = -1e300 },
        new() { Rescale = 0 },
        new() { Rescale = null },
        new() { ValidationSplit = 0 },
        new() { ValidationSplit = 0.999 },
        new() { InterpolationOrder = Interpolation.Nearest },
        new() { FillMode = FillMode.Wrap },
        new() { DataFormat = DataFormat.ChannelsFirst },
        new() { WidthShiftRange = ShiftRange.Integer(0), HeightShiftRange = ShiftRange.Choices(-3) },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void EdgeValuesAreAccepted(ImageDataGeneratorOptions options) => Assert.Same(options, options.Validate());

    public static TheoryData<string, ImageDataGeneratorOptions> Refused => new()
    {
        { "zca_epsilon", new() { ZcaEpsilon = -1e-300 } },
        { "zca_epsilon", new() { ZcaEpsilon = double.NaN } },
        { "zca_epsilon", new() { ZcaEpsilon = double.PositiveInfinity } },
        { "rotation_range", new() { RotationRange = -1e-300 } },
        { "rotation_range", new() { RotationRange = double.PositiveInfinity } },
        { "brightness_range", new() { BrightnessRange = (-1e-300, 1) } },
        { "brightness_range", new() { BrightnessRange = (0.5, 0.4999) } },
        { "brightness_range", new() { BrightnessRange = (double.NaN, 1) } },
        { "brightness_range", new() { BrightnessRange = (0, double.PositiveInfinity) } },
        { "shear_range", new() { ShearRange = -1e-300 } },
        { "shear_range", new() { ShearRange = double.PositiveInfinity } },
        { "zoom_range", new() { ZoomRange = (0, 0) } },
        { "zoom_range", new() { ZoomRange = (0.5, 0.4999) } },
        { "zoom_range", new() { ZoomRange = (double.NaN, 1) } },
        { "zoom_range", new() { ZoomRange = (0.5, double.PositiveInfinity) } },
        { "channel_shift_range", new() { ChannelShiftRange = -1e-300 } },
        { "channel_shift_range", new() { ChannelShiftRange = double.PositiveInfinity } },
        { "cval", new() { Cval = double.NegativeInfinity } },
        { "rescale", new() { Rescale = double.NaN } },
        { "validation_split", new() { ValidationSplit = -1e-300 } },
        { "validation_split", new() { ValidationSplit = double.NaN } },
        { "interpolation_order", new() { InterpolationOrder = (Interpolation)2 } },
        { "fill_mode", new() { FillMode = (FillMode)(-1) } },
        { "width_shift_range", new() { WidthShiftRange = null! } },
        { "height_shift_range", new() { HeightShiftRange = null! } },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void PastTheEdgeIsRefusedAndNamed(string option, ImageDataGeneratorOptions options) =>
        Assert.Equal(option, Assert.Throws<InvalidOptionException>(() => options.Validate()).Option);
}
