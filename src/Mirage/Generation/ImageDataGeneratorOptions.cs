using Mirage.Imaging;
using Mirage.Kernels.Geometric;

namespace Mirage.Generation;

/// <summary>
/// Every keras ImageDataGenerator constructor option, with Keras's defaults and meanings.
/// JSON with Keras's snake_case names loads into this (a Python user pastes their dict) and serializes back.
/// </summary>
public sealed partial record ImageDataGeneratorOptions
{
    public bool FeaturewiseCenter { get; init; }
    public bool SamplewiseCenter { get; init; }
    public bool FeaturewiseStdNormalization { get; init; }
    public bool SamplewiseStdNormalization { get; init; }
    public bool ZcaWhitening { get; init; }
    public double ZcaEpsilon { get; init; } = 1e-6;
    /// <summary>Degrees; rotation drawn uniformly from (−v, v).</summary>
    public double RotationRange { get; init; }
    public ShiftRange WidthShiftRange { get; init; } = ShiftRange.None;
    public ShiftRange HeightShiftRange { get; init; } = ShiftRange.None;
    /// <summary>Brightness factor drawn uniformly from [lo, hi); null = no brightness change.</summary>
    public (double Low, double High)? BrightnessRange { get; init; }
    /// <summary>Shear angle in degrees, drawn uniformly from (−v, v).</summary>
    public double ShearRange { get; init; }
    /// <summary>Zoom drawn uniformly from [lo, hi) for rows and columns independently. A float z means [1 − z, 1 + z].</summary>
    public (double Low, double High) ZoomRange { get; init; } = (1, 1);
    public double ChannelShiftRange { get; init; }
    public FillMode FillMode { get; init; } = FillMode.Nearest;
    public double Cval { get; init; }
    public bool HorizontalFlip { get; init; }
    public bool VerticalFlip { get; init; }
    /// <summary>Multiplies every value (Keras's rescale; null or 0 = none), applied after the augmentation.</summary>
    public double? Rescale { get; init; }
    /// <summary>Runs first in Standardize, on the augmented image, in place (Keras's preprocessing_function).</summary>
    public Action<Image<float>>? PreprocessingFunction { get; init; }
    public DataFormat DataFormat { get; init; } = DataFormat.ChannelsLast;
    /// <summary>Fraction of the data reserved for validation, in [0, 1).</summary>
    public double ValidationSplit { get; init; }
    public Interpolation InterpolationOrder { get; init; } = Interpolation.Bilinear;
    /// <summary>Reproduce keras-preprocessing 1.1.x's centre (n/2 + 0.5) and scipy's legacy wrap exactly.</summary>
    public bool KerasCompatible { get; init; }
    /// <summary>Keras's dtype; Mirage computes in float32 ("float32" is the only value accepted today).</summary>
    public string Dtype { get; init; } = "float32";

    /// <summary>
    /// Checks every option as Keras does, and stricter where Keras would fail later or silently do something odd.
    /// Errors name the option in Keras's snake_case and say what is allowed.
    /// </summary>
    public ImageDataGeneratorOptions Validate()
    {
        static void Require(bool ok, string option, string message)
        {
            if (!ok) throw new InvalidOptionException(option, $"{option}: {message}");
        }
        static string F(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

        Require(double.IsFinite(ZcaEpsilon) && ZcaEpsilon > 0, "zca_epsilon",
            $"must be a finite number > 0 (it is added to each eigenvalue before 1/sqrt); got {F(ZcaEpsilon)}.");
        Require(double.IsFinite(RotationRange) && RotationRange >= 0, "rotation_range",
            $"must be a finite number of degrees ≥ 0 (rotation is drawn from (−r, r)); got {F(RotationRange)}.");
        CheckShift(WidthShiftRange, "width_shift_range");
        CheckShift(HeightShiftRange, "height_shift_range");
        if (BrightnessRange is { } b)
            Require(double.IsFinite(b.Low) && double.IsFinite(b.High) && b.Low >= 0 && b.Low <= b.High, "brightness_range",
                $"must be null or a pair [lo, hi] with 0 ≤ lo ≤ hi (factors; 1 keeps the image); got [{F(b.Low)}, {F(b.High)}].");
        Require(double.IsFinite(ShearRange) && ShearRange >= 0, "shear_range",
            $"must be a finite angle in degrees ≥ 0 (shear is drawn from (−s, s)); got {F(ShearRange)}.");
        Require(double.IsFinite(ZoomRange.Low) && double.IsFinite(ZoomRange.High) && ZoomRange.Low > 0 && ZoomRange.Low <= ZoomRange.High,
            "zoom_range",
            $"must be a float z in [0, 1) meaning [1 − z, 1 + z], or a pair [lo, hi] with 0 < lo ≤ hi; got [{F(ZoomRange.Low)}, {F(ZoomRange.High)}].");
        Require(double.IsFinite(ChannelShiftRange) && ChannelShiftRange >= 0, "channel_shift_range",
            $"must be a finite number ≥ 0 (the shift is drawn from (−c, c)); got {F(ChannelShiftRange)}.");
        Require(Enum.IsDefined(FillMode), "fill_mode", $"must be one of \"constant\", \"nearest\", \"reflect\", \"wrap\"; got {FillMode}.");
        Require(double.IsFinite(Cval), "cval", $"must be a finite number; got {F(Cval)}.");
        if (Rescale is { } r)
            Require(double.IsFinite(r), "rescale", $"must be null or a finite number such as 1/255 (0 means none); got {F(r)}.");
        Require(Enum.IsDefined(DataFormat), "data_format", $"must be \"channels_last\" or \"channels_first\"; got {DataFormat}.");
        Require(ValidationSplit >= 0 && ValidationSplit < 1, "validation_split",
            $"must be in [0, 1) (the fraction of the data held out; 0 = none); got {F(ValidationSplit)}.");
        Require(Enum.IsDefined(InterpolationOrder), "interpolation_order",
            $"must be 0 (nearest) or 1 (bilinear); scipy's spline orders 2–5 are not supported; got {(int)InterpolationOrder}.");
        Require(Dtype == "float32", "dtype",
            $"Mirage computes in float32, so dtype must be \"float32\"; got \"{Dtype}\". Convert the output yourself if you need another type.");
        return this;
    }

    private static void CheckShift(ShiftRange? range, string option)
    {
        if (range is null)
            throw new InvalidOptionException(option, $"{option}: must not be null; use ShiftRange.None (0.0) for no shift.");
        // ShiftRange's factories already reject negative and non-finite values; this catches nothing else today,
        // but keeps the rule stated where the other options are.
        if (range.Mode != ShiftRange.Kind.Choices && !(double.IsFinite(range.Value) && range.Value >= 0))
            throw new InvalidOptionException(option, $"{option}: must be a number ≥ 0, an int N ≥ 0 or a list of numbers; got {range}.");
    }
}
