using Mirage.Imaging;
using Mirage.Kernels.Geometric;

namespace Mirage.Generation;

/// <summary>
/// Every keras ImageDataGenerator constructor option, with Keras's defaults and meanings.
/// JSON with Keras's snake_case names loads into this (a Python user pastes their dict) and serializes back.
/// </summary>
public sealed record ImageDataGeneratorOptions
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
}
