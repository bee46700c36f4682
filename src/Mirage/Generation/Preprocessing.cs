using System.Collections.Concurrent;
using Mirage.Imaging;
using Mirage.Kernels.Photometric;

namespace Mirage.Generation;

/// <summary>
/// Ready-made values for <see cref="ImageDataGeneratorOptions.PreprocessingFunction"/> that also have a JSON form
/// (<c>"preprocessing_function": {"name": "clahe", "clip_limit": 0.03}</c>), so a config that uses one round-trips.
/// </summary>
public static class Preprocessing
{
    /// <summary>The names JSON configs accept for preprocessing_function.</summary>
    public static IReadOnlyList<string> Names { get; } = ["clahe"];

    private static readonly ConcurrentDictionary<ClahePreprocessing, Action<Image<float>>> Functions = new();

    /// <summary>
    /// CLAHE in place on each augmented image (scikit-image's <c>equalize_adapthist</c>; 1 channel gray, 3 RGB through
    /// HSV, 4 with alpha kept). The generator hands the preprocessing function Keras-style 0..255 images (rescale comes
    /// after it), so the default <paramref name="valueRange"/> 255 gives exactly Keras's
    /// <c>preprocessing_function=lambda x: equalize_adapthist(x / 255, clip_limit=c) * 255</c>; pass 1 for images
    /// already in [0, 1]. Equal arguments return the same delegate, so options holding it compare equal after a JSON
    /// round trip.
    /// </summary>
    public static Action<Image<float>> Clahe(ClaheParameters parameters, float valueRange = 255f)
    {
        parameters.Validate("preprocessing_function clahe");
        if (!float.IsFinite(valueRange) || valueRange <= 0)
            throw new ArgumentException($"preprocessing_function clahe: value_range must be a finite number > 0 (255 for 0..255 images, 1 for [0, 1]); got {valueRange}.");
        return Functions.GetOrAdd(new ClahePreprocessing(parameters, valueRange), c => c.Apply);
    }

    /// <summary>CLAHE with a clip limit and scikit-image's other defaults (kernel 1/8 of each side, 256 bins), on 0..255 images.</summary>
    public static Action<Image<float>> Clahe(double clipLimit) => Clahe(new ClaheParameters { ClipLimit = clipLimit });

    /// <summary>The named step behind a delegate made here, or null for any other function (which JSON cannot express).</summary>
    public static ClahePreprocessing? Describe(Action<Image<float>>? function) => function?.Target as ClahePreprocessing;
}

/// <summary>The CLAHE preprocessing step: its parameters and the value range of the images it receives.</summary>
public sealed record ClahePreprocessing(ClaheParameters Parameters, float ValueRange)
{
    public void Apply(Image<float> image) => Mirage.Kernels.Photometric.Clahe.Apply(image, image, Parameters, ValueRange);
}
