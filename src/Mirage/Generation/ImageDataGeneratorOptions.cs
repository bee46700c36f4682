using Mirage.Imaging;
using Mirage.Kernels.Geometric;

namespace Mirage.Generation;

/// <summary>
/// Every keras ImageDataGenerator constructor option, with Keras's defaults and meanings.
/// JSON with Keras's snake_case names loads into this (a Python user pastes their dict) and serializes back.
/// </summary>
/// <remarks>Immutable (init-only): build with an object initializer or <c>with</c>. The setters do not validate; the
/// <see cref="ImageDataGenerator"/> constructor and <see cref="FromJson"/> call <see cref="Validate"/>. Each property
/// documents its Keras name; the defaults are Keras's.</remarks>
public sealed partial record ImageDataGeneratorOptions
{
    /// <summary>Keras's featurewise_center: subtract the dataset's per-channel mean (from
    /// <see cref="ImageDataGenerator.Fit"/>) from every image. Default false.</summary>
    public bool FeaturewiseCenter { get; init; }
    /// <summary>Keras's samplewise_center: subtract each image's own mean (over all its values, all channels together).
    /// Default false.</summary>
    public bool SamplewiseCenter { get; init; }
    /// <summary>Keras's featurewise_std_normalization: divide by the dataset's per-channel std + 1e-6 (from
    /// <see cref="ImageDataGenerator.Fit"/>); turns <see cref="FeaturewiseCenter"/> on, as in Keras. Default false.</summary>
    public bool FeaturewiseStdNormalization { get; init; }
    /// <summary>Keras's samplewise_std_normalization: divide each image by its own std + 1e-6; turns
    /// <see cref="SamplewiseCenter"/> on, as in Keras. Default false.</summary>
    public bool SamplewiseStdNormalization { get; init; }
    /// <summary>Keras's zca_whitening: multiply each centred image, as a row vector of H·W·C values, by the ZCA matrix
    /// from <see cref="ImageDataGenerator.Fit"/>. Turns <see cref="FeaturewiseCenter"/> on and
    /// <see cref="FeaturewiseStdNormalization"/> off, as in Keras. Limited to
    /// <see cref="ImageDataGenerator.MaxZcaDimension"/> values per image. Default false.</summary>
    public bool ZcaWhitening { get; init; }
    /// <summary>Keras's zca_epsilon: added to each eigenvalue before 1/√λ; finite and > 0. Default 1e-6.</summary>
    public double ZcaEpsilon { get; init; } = 1e-6;
    /// <summary>Degrees; rotation drawn uniformly from (−v, v).</summary>
    /// <remarks>Keras's rotation_range; finite and ≥ 0; default 0 (no rotation). Positive angles turn the content
    /// clockwise as displayed (rows growing downwards).</remarks>
    public double RotationRange { get; init; }
    /// <summary>Keras's width_shift_range: horizontal shift (Keras's ty, along columns), a float, an int or a list (see
    /// <see cref="ShiftRange"/>); a float converts implicitly. Not null; default <see cref="ShiftRange.None"/>.</summary>
    public ShiftRange WidthShiftRange { get; init; } = ShiftRange.None;
    /// <summary>Keras's height_shift_range: vertical shift (Keras's tx, along rows), a float, an int or a list (see
    /// <see cref="ShiftRange"/>). Not null; default <see cref="ShiftRange.None"/>.</summary>
    public ShiftRange HeightShiftRange { get; init; } = ShiftRange.None;
    /// <summary>Brightness factor drawn uniformly from [lo, hi); null = no brightness change.</summary>
    /// <remarks>Keras's brightness_range: 0 ≤ Low ≤ High; 1 keeps the image, 0 makes it black. Applied last, as
    /// Pillow's ImageEnhance.Brightness: values are clipped to 0..255 and truncated to integers before and after the
    /// factor, so the result is whole numbers even with rescale off; the alpha of a 4-channel image is kept.</remarks>
    public (double Low, double High)? BrightnessRange { get; init; }
    /// <summary>Shear angle in degrees, drawn uniformly from (−v, v).</summary>
    /// <remarks>Keras's shear_range (counter-clockwise shear angle in degrees); finite and ≥ 0; default 0.</remarks>
    public double ShearRange { get; init; }
    /// <summary>Zoom drawn uniformly from [lo, hi) for rows and columns independently. A float z means [1 − z, 1 + z].</summary>
    /// <remarks>Keras's zoom_range; 0 &lt; Low ≤ High; default (1, 1), no zoom. Values above 1 zoom out (the
    /// factor scales the sampling position, as in Keras).</remarks>
    public (double Low, double High) ZoomRange { get; init; } = (1, 1);
    /// <summary>Keras's channel_shift_range: one intensity drawn uniformly from (−v, v) is added to every value, then
    /// clipped to the image's own min..max (before the shift). On the image's scale (0..255 before rescale); ≥ 0;
    /// default 0.</summary>
    public double ChannelShiftRange { get; init; }
    /// <summary>Keras's fill_mode: how points outside the input are filled by rotation, shift, shear and zoom. Default
    /// <see cref="Kernels.Geometric.FillMode.Nearest"/>, as Keras.</summary>
    public FillMode FillMode { get; init; } = FillMode.Nearest;
    /// <summary>Keras's cval: the fill value for fill_mode constant, on the image's scale; finite. Default 0.</summary>
    public double Cval { get; init; }
    /// <summary>Keras's horizontal_flip: mirror left–right with probability 0.5. Default false.</summary>
    public bool HorizontalFlip { get; init; }
    /// <summary>Keras's vertical_flip: mirror top–bottom with probability 0.5. Default false.</summary>
    public bool VerticalFlip { get; init; }
    /// <summary>Multiplies every value (Keras's rescale; null or 0 = none), applied after the augmentation.</summary>
    public double? Rescale { get; init; }
    /// <summary>Runs first in Standardize, on the augmented image, in place (Keras's preprocessing_function).</summary>
    public Action<Image<float>>? PreprocessingFunction { get; init; }
    /// <summary>Keras's data_format: the channel axis of the batches the flows produce. Default channels-last
    /// ((N, H, W, C)). Single images are always HWC.</summary>
    public DataFormat DataFormat { get; init; } = DataFormat.ChannelsLast;
    /// <summary>Fraction of the data reserved for validation, in [0, 1).</summary>
    /// <remarks>Keras's validation_split; flows pick a subset with <see cref="Data.FlowOptions.Subset"/>. Default 0.</remarks>
    public double ValidationSplit { get; init; }
    /// <summary>Keras's interpolation_order: 0 nearest or 1 bilinear (the default); scipy's spline orders 2–5 are not
    /// supported.</summary>
    public Interpolation InterpolationOrder { get; init; } = Interpolation.Bilinear;
    /// <summary>Reproduce keras-preprocessing 1.1.x's centre (n/2 + 0.5) and scipy's legacy wrap exactly.</summary>
    public bool KerasCompatible { get; init; }
    /// <summary>Keras's dtype; Mirage computes in float32 ("float32" is the only value accepted today).</summary>
    public string Dtype { get; init; } = "float32";

    /// <summary>
    /// Checks every option as Keras does, and stricter where Keras would fail later or silently do something odd.
    /// Errors name the option in Keras's snake_case and say what is allowed.
    /// </summary>
    /// <returns>This instance, unchanged, so calls chain.</returns>
    /// <exception cref="InvalidOptionException">An option is out of range; <see cref="InvalidOptionException.Option"/>
    /// names it.</exception>
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
