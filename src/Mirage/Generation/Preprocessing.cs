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
    /// <param name="parameters">clip_limit, kernel_size and nbins; validated here.</param>
    /// <param name="valueRange">The value that maps to 1 for scikit-image: 255 for 0..255 images, 1 for [0, 1]; > 0.</param>
    /// <returns>A cached, thread-safe delegate that equalizes its image in place (1, 3 or 4 channels).</returns>
    /// <exception cref="ArgumentException">A parameter is invalid (clip_limit negative or not finite, a kernel side
    /// negative, nbins outside 1..65536) or <paramref name="valueRange"/> is not a finite number > 0.</exception>
    public static Action<Image<float>> Clahe(ClaheParameters parameters, float valueRange = 255f)
    {
        parameters.Validate("preprocessing_function clahe");
        if (!float.IsFinite(valueRange) || valueRange <= 0)
            throw new ArgumentException($"preprocessing_function clahe: value_range must be a finite number > 0 (255 for 0..255 images, 1 for [0, 1]); got {valueRange}.");
        return Functions.GetOrAdd(new ClahePreprocessing(parameters, valueRange), c => c.Apply);
    }

    /// <summary>CLAHE with a clip limit and scikit-image's other defaults (kernel 1/8 of each side, 256 bins), on 0..255 images.</summary>
    /// <param name="clipLimit">scikit-image's clip_limit, normalised to [0, 1]; 0 (or ≥ 1) means no clipping.</param>
    /// <returns>A cached, thread-safe delegate that equalizes its image in place.</returns>
    /// <exception cref="ArgumentException"><paramref name="clipLimit"/> is negative or not finite.</exception>
    public static Action<Image<float>> Clahe(double clipLimit) => Clahe(new ClaheParameters { ClipLimit = clipLimit });

    /// <summary>The named step behind a delegate made here, or null for any other function (which JSON cannot express).</summary>
    /// <param name="function">A preprocessing function, or null.</param>
    public static ClahePreprocessing? Describe(Action<Image<float>>? function) => function?.Target as ClahePreprocessing;
}

/// <summary>The CLAHE preprocessing step: its parameters and the value range of the images it receives.</summary>
/// <param name="Parameters">scikit-image's clip_limit, kernel_size and nbins.</param>
/// <param name="ValueRange">The value that maps to 1 for scikit-image (255 for Keras-style 0..255 images).</param>
public sealed record ClahePreprocessing(ClaheParameters Parameters, float ValueRange)
{
    /// <summary>Equalizes <paramref name="image"/> in place; values stay on the 0..<see cref="ValueRange"/> scale.</summary>
    /// <param name="image">1 (gray), 3 (RGB, through HSV) or 4 (alpha copied through) channels, values in
    /// [0, <see cref="ValueRange"/>] (negative values count as 0).</param>
    /// <exception cref="ArgumentException">The channel count is not 1, 3 or 4, a value exceeds the range (or is NaN), or
    /// the parameters are invalid.</exception>
    public void Apply(Image<float> image) => Mirage.Kernels.Photometric.Clahe.Apply(image, image, Parameters, ValueRange);
}
