using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Kernels.Photometric;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Pipelines;

namespace Mirage.Generation;

/// <summary>
/// Keras's ImageDataGenerator: random augmentation, standardization and feature-wise statistics.
/// Randomness is always handed in (a <see cref="RandomStream"/> or a seed); nothing here keeps a global generator.
/// Statistics (Mean, Std, PrincipalComponents) are read-only while Standardize runs; Standardize may be called from
/// several threads at once.
/// </summary>
public sealed class ImageDataGenerator
{
    /// <summary>Keras adds this to a standard deviation before dividing by it.</summary>
    public const float StdEpsilon = 1e-6f;

    /// <summary>
    /// Largest feature count (height × width × channels) ZCA whitening accepts: 64×64×3. The eigendecomposition costs
    /// O(D³): about a minute of CPU at D = 3072 (32×32×3), so over an hour at this cap; larger would be impractical.
    /// </summary>
    public const int MaxZcaDimension = 64 * 64 * 3;

    private float[]? _mean, _std, _principalComponents;
    private readonly TransformPipeline? _pipeline;
    private readonly KerasPreset? _preset;

    /// <summary>A generator of Keras's options; its <see cref="Pipeline"/> is Keras's preset built from them.</summary>
    /// <param name="options">The options, or null for Keras's defaults (no augmentation).</param>
    /// <exception cref="InvalidOptionException">An option is out of range.</exception>
    public ImageDataGenerator(ImageDataGeneratorOptions? options = null)
    {
        options ??= new ImageDataGeneratorOptions();
        options.Validate();
        Options = WithImpliedFlags(options);
        _preset = new KerasPreset(this);
    }

    /// <summary>
    /// A generator that runs <paramref name="pipeline"/> on every sample of its flows (Flow, FlowFromDirectory,
    /// FlowFromDataFrame): each sample's parameters are drawn onto a <see cref="ParameterTape"/> from its
    /// (seed, epoch, index) stream and run with the pipeline's fused plan straight into the batch. The Keras-only
    /// members (GetRandomTransform, ApplyTransform, RandomTransform, Standardize, Fit, setting Mean/Std) throw: the
    /// pipeline holds every step, normalization included. <paramref name="dataFormat"/> and
    /// <paramref name="validationSplit"/> are Keras's data_format and validation_split.
    /// </summary>
    public ImageDataGenerator(TransformPipeline pipeline, DataFormat dataFormat = DataFormat.ChannelsLast, double validationSplit = 0)
    {
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        Options = new ImageDataGeneratorOptions { DataFormat = dataFormat, ValidationSplit = validationSplit }.Validate();
    }

    /// <summary>
    /// A generator from a JSON config: Keras's dict (<c>{"rotation_range": 40, "horizontal_flip": true}</c>, see
    /// <see cref="ImageDataGeneratorOptions.FromJson"/>) or a pipeline config (<c>{"transforms": [...]}</c>, see
    /// <see cref="PipelineConfig"/>). <paramref name="source"/> (a file name, "--config", …) starts every error message;
    /// <paramref name="configuration"/> (null: <see cref="MirageConfiguration.Default"/>) is how its flows run.
    /// </summary>
    public static ImageDataGenerator FromJson(string json, string source = "config", MirageConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        configuration ??= MirageConfiguration.Default;
        return PipelineConfig.IsPipelineConfig(json)
            ? new ImageDataGenerator(TransformPipeline.FromJson(json, source: source)) { Configuration = configuration }
            : new ImageDataGenerator(ImageDataGeneratorOptions.FromJson(json, source)) { Configuration = configuration };
    }

    /// <summary>
    /// How this generator's flows run (SIMD level, JPEG decoder, worker cap, warp tiling, fused path, pools), unless a
    /// flow's <see cref="Data.FlowOptions.Configuration"/> says otherwise; default <see cref="MirageConfiguration.Default"/>.
    /// Set it when making the generator: <c>new ImageDataGenerator(options) { Configuration = c }</c>. Two generators
    /// with different configurations run side by side, each with its own.
    /// </summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public MirageConfiguration Configuration
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Configuration));
    } = MirageConfiguration.Default;


    /// <summary>The options in force, after Keras's implied flags (zca_whitening turns featurewise_center on, …).
    /// A generator built from a pipeline has Keras's defaults here, with its data_format and validation_split.</summary>
    public ImageDataGeneratorOptions Options { get; }

    /// <summary>
    /// What every flowed sample runs: the pipeline this generator was built from, or, for Keras's options, Keras's
    /// preset (the shared transforms in Keras's draw order, then Keras's standardize with the statistics as they are at
    /// each sample; it cannot be written as a pipeline config, as its standardize step is the generator's own).
    /// </summary>
    public TransformPipeline Pipeline => _pipeline ?? _preset!.Pipeline;

    /// <summary>True when built from Keras's options: the Keras-only members (GetRandomTransform, ApplyTransform,
    /// RandomTransform, Standardize, Fit, Mean/Std/PrincipalComponents) work.</summary>
    public bool IsKerasPreset => _pipeline is null;

    /// <summary>Keras's preset (null for a generator built from a pipeline).</summary>
    internal KerasPreset? Preset => _preset;

    /// <summary>Refuses a Keras-only call on a generator built from a pipeline, saying what to use instead.</summary>
    private void RequireKeras(string member, bool statistics = false)
    {
        if (_pipeline is null) return;
        string instead = statistics
            ? "A pipeline normalizes with its own step, e.g. {\"name\": \"normalize\", \"mean\": [...], \"std\": [...]} (`mirage stats` computes them)."
            : "Draw a sample's parameters with Pipeline.Sample(ref random, shape) (a ParameterTape) and run them with TransformPipeline.Run.";
        throw new InvalidOperationException($"{member} belongs to Keras's options, but this generator runs a transform pipeline ({_pipeline}). {instead}");
    }

    /// <summary>
    /// Keras's constructor rewrites: zca_whitening turns featurewise_center on and featurewise_std_normalization off;
    /// featurewise_std_normalization (as passed) turns featurewise_center on; samplewise_std_normalization turns
    /// samplewise_center on.
    /// </summary>
    /// <param name="o">The options as passed.</param>
    /// <returns>The rewritten options (the same instance when nothing changes).</returns>
    public static ImageDataGeneratorOptions WithImpliedFlags(ImageDataGeneratorOptions o)
    {
        var r = o;
        if (o.ZcaWhitening) r = r with { FeaturewiseCenter = true, FeaturewiseStdNormalization = false };
        if (o.FeaturewiseStdNormalization) r = r with { FeaturewiseCenter = true }; // Keras tests the argument, not the rewritten flag
        if (o.SamplewiseStdNormalization) r = r with { SamplewiseCenter = true };
        return r;
    }

    // ------------------------------------------------------------------ random transforms

    /// <summary>Draws parameters for an image of <paramref name="shape"/> from <paramref name="random"/>, in Keras's order.</summary>
    /// <param name="shape">The image the parameters are for; fractional shift ranges scale by its height and width.</param>
    /// <param name="random">Advanced by the draws: rotation, height shift, width shift, shear, zoom (x then y), both flip
    /// coins (always drawn), channel shift, brightness; a disabled option draws nothing, except the flips.</param>
    /// <returns>Keras's get_random_transform dictionary.</returns>
    public TransformParameters GetRandomTransform(ImageInfo shape, ref RandomStream random)
    {
        RequireKeras(nameof(GetRandomTransform));
        var tape = _preset!.Pipeline.Sample(ref random, shape, t_tape ??= new ParameterTape());
        return KerasPreset.Parameters(tape);
    }

    /// <summary>A tape per thread for <see cref="GetRandomTransform(ImageInfo, ref RandomStream)"/> (scratch, reused; no per-call allocation).</summary>
    [ThreadStatic] private static ParameterTape? t_tape;

    /// <summary>One draw of a Keras shift range on an axis of <paramref name="size"/> pixels.</summary>
    /// <param name="range">The width_shift_range or height_shift_range.</param>
    /// <param name="size">The axis length in pixels (width for width_shift_range), which scales fractions.</param>
    /// <param name="random">Advanced by one or two draws.</param>
    /// <returns>The shift in pixels (not rounded, except for an int range).</returns>
    public static double SampleShift(ShiftRange range, int size, ref RandomStream random) => range.Sample(size, ref random);

    /// <summary>Keras's get_random_transform(img_shape, seed): seed null draws a fresh seed from the OS.</summary>
    /// <param name="shape">The image the parameters are for.</param>
    /// <param name="seed">A seed for a new <see cref="RandomStream"/> (the same seed gives the same parameters), or null
    /// for a random one.</param>
    /// <remarks>Mirage's random numbers are not numpy's: a seed reproduces Mirage's draws, not Keras's.</remarks>
    public TransformParameters GetRandomTransform(ImageInfo shape, ulong? seed = null)
    {
        var random = new RandomStream(seed ?? FreshSeed());
        return GetRandomTransform(shape, ref random);
    }

    internal static ulong FreshSeed()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    /// <summary>The warp settings the options ask for.</summary>
    /// <remarks>From interpolation_order, fill_mode, cval and keras_compatible.</remarks>
    public WarpOptions WarpOptions => new(Options.InterpolationOrder, Options.FillMode, (float)Options.Cval, Options.KerasCompatible);

    /// <summary>Applies explicit parameters into <paramref name="dst"/> (same shape as <paramref name="src"/>).</summary>
    /// <param name="src">The image, HWC on any value scale; not modified.</param>
    /// <param name="dst">Receives the result; the same shape as <paramref name="src"/> and a different image.</param>
    /// <param name="parameters">Keras's apply_transform dictionary (e.g. from <see cref="GetRandomTransform(ImageInfo, ulong?)"/>).</param>
    /// <remarks>Keras's apply_transform: one affine warp, then channel shift, flips, brightness. Standardization is
    /// separate (<see cref="Standardize"/>). Thread-safe.</remarks>
    /// <exception cref="ArgumentException"><paramref name="dst"/> has another shape or is <paramref name="src"/>.</exception>
    public void ApplyTransform(Image<float> src, Image<float> dst, in TransformParameters parameters)
    {
        RequireKeras(nameof(ApplyTransform));
        KerasTransform.Apply(src, dst, parameters, WarpOptions);
    }

    /// <summary>Keras's apply_transform(x, transform_parameters): the transformed copy of <paramref name="x"/>.</summary>
    /// <param name="x">The image; not modified.</param>
    /// <param name="parameters">The transform to apply.</param>
    /// <returns>A new image the caller owns (and disposes).</returns>
    public Image<float> ApplyTransform(Image<float> x, in TransformParameters parameters)
    {
        var dst = new Image<float>(x.Info);
        try
        {
            ApplyTransform(x, dst, parameters);
            return dst;
        }
        catch
        {
            dst.Dispose();
            throw;
        }
    }

    /// <summary>Keras's random_transform(x, seed): a randomly transformed copy of <paramref name="x"/>.</summary>
    /// <param name="x">The image; not modified.</param>
    /// <param name="seed">Seed of the draw (the same seed gives the same result), or null for a random one.</param>
    /// <returns>A new image the caller owns (and disposes).</returns>
    public Image<float> RandomTransform(Image<float> x, ulong? seed = null)
    {
        RequireKeras(nameof(RandomTransform));
        return ApplyTransform(x, GetRandomTransform(x.Info, seed));
    }

    /// <summary>Draws parameters from <paramref name="random"/>, applies them into <paramref name="dst"/> and returns them (record them to replay).</summary>
    /// <param name="src">The image; not modified.</param>
    /// <param name="dst">Receives the result; the same shape as <paramref name="src"/> and a different image.</param>
    /// <param name="random">The stream to draw from; advanced.</param>
    /// <exception cref="ArgumentException"><paramref name="dst"/> has another shape or is <paramref name="src"/>.</exception>
    public TransformParameters RandomTransform(Image<float> src, Image<float> dst, ref RandomStream random)
    {
        RequireKeras(nameof(RandomTransform));
        var p = GetRandomTransform(src.Info, ref random);
        ApplyTransform(src, dst, p);
        return p;
    }

    /// <summary>Allocating form of <see cref="RandomTransform(Image{float}, Image{float}, ref RandomStream)"/>.</summary>
    /// <param name="x">The image; not modified.</param>
    /// <param name="random">The stream to draw from; advanced.</param>
    /// <param name="applied">The parameters drawn (record them to replay).</param>
    /// <returns>A new image the caller owns (and disposes).</returns>
    public Image<float> RandomTransform(Image<float> x, ref RandomStream random, out TransformParameters applied)
    {
        RequireKeras(nameof(RandomTransform));
        applied = GetRandomTransform(x.Info, ref random);
        return ApplyTransform(x, applied);
    }

    // ------------------------------------------------------------------ statistics

    /// <summary>Per-channel mean from <see cref="Fit"/> (Keras's mean), or null. Setting it loads statistics computed elsewhere.</summary>
    /// <remarks>One value per channel, on the scale after rescale. The array is kept, not copied: do not change it while
    /// <see cref="Standardize"/> may run.</remarks>
    /// <exception cref="ArgumentException">Set to an empty array or one holding NaN or an infinity.</exception>
    public float[]? Mean
    {
        get => _mean;
        set
        {
            RequireKeras(nameof(Mean), statistics: true);
            _mean = CheckStatistic(value, "Mean", allowZero: true);
        }
    }

    /// <summary>Per-channel standard deviation from <see cref="Fit"/> (Keras's std), or null.</summary>
    /// <remarks>One value per channel, after centring and on the scale after rescale; Standardize divides by
    /// std + <see cref="StdEpsilon"/>. Setting it loads statistics computed elsewhere; the array is kept, not copied.</remarks>
    /// <exception cref="ArgumentException">Set to an empty array or one holding NaN or an infinity.</exception>
    public float[]? Std
    {
        get => _std;
        set
        {
            RequireKeras(nameof(Std), statistics: true);
            _std = CheckStatistic(value, "Std", allowZero: true);
        }
    }

    /// <summary>
    /// The D×D ZCA matrix (row-major, D = height·width·channels in HWC order; symmetric), or null.
    /// Keras's principal_components, in float32 as Keras keeps them.
    /// </summary>
    /// <remarks>Setting it loads a matrix computed elsewhere (e.g. by Keras: numpy's principal_components, flattened);
    /// the array is kept, not copied.</remarks>
    /// <exception cref="ArgumentException">Set to an array whose length is not a non-zero perfect square, or that holds
    /// NaN or an infinity.</exception>
    public float[]? PrincipalComponents
    {
        get => _principalComponents;
        set
        {
            RequireKeras(nameof(PrincipalComponents), statistics: true);
            if (value is not null)
            {
                long d = (long)Math.Round(Math.Sqrt(value.LongLength));
                if (d * d != value.LongLength || d == 0)
                    throw new ArgumentException($"PrincipalComponents must be a D×D matrix (length a perfect square), got {value.LongLength} values.", nameof(value));
            }
            _principalComponents = CheckStatistic(value, "PrincipalComponents", allowZero: true);
        }
    }

    /// <summary>D of <see cref="PrincipalComponents"/> (0 when unset).</summary>
    public int ZcaDimension => _principalComponents is null ? 0 : (int)Math.Round(Math.Sqrt(_principalComponents.LongLength));

    private static float[]? CheckStatistic(float[]? value, string name, bool allowZero)
    {
        if (value is null) return null;
        if (value.Length == 0) throw new ArgumentException($"{name} must hold at least one value (or be null).", name);
        foreach (var v in value)
            if (!float.IsFinite(v) || (!allowZero && v == 0))
                throw new ArgumentException($"{name} holds {v}; statistics must be finite numbers.", name);
        return value;
    }

    // ------------------------------------------------------------------ standardize

    /// <summary>
    /// Keras's standardize, in place and in Keras's order: preprocessing_function, rescale, samplewise center
    /// (mean of the whole image), samplewise std (÷ (std + 1e-6)), featurewise center (per-channel mean),
    /// featurewise std (÷ (std + 1e-6)), ZCA (the HWC image as a row vector times the principal components).
    /// Where Keras only warns that fit wasn't called, this throws and says to call Fit.
    /// </summary>
    /// <param name="x">The image, changed in place (HWC; usually 0..255 before rescale).</param>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="MirageException">A featurewise option or ZCA is on but its statistic is unset, or the
    /// statistic's channel count (or ZCA dimension) does not match the image.</exception>
    public void Standardize(Image<float> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireKeras(nameof(Standardize), statistics: true);
        var o = Options;
        if (o.PreprocessingFunction is { } pre) pre(x);
        var span = x.Span;
        if (o.Rescale is { } scale && scale != 0) PointOps.Scale(span, span, (float)scale);
        if (o.SamplewiseCenter)
        {
            float mean = (float)MeanOf(span);
            AddScalar(span, -mean);
        }
        if (o.SamplewiseStdNormalization)
        {
            double m = MeanOf(span), ss = 0;
            foreach (var v in span) ss += (v - m) * (v - m);
            float divisor = (float)Math.Sqrt(ss / span.Length) + StdEpsilon;
            for (int i = 0; i < span.Length; i++) span[i] /= divisor;
        }
        if (o.FeaturewiseCenter)
        {
            var mean = _mean ?? throw NotFit("featurewise_center", "the per-channel mean");
            CheckChannels(mean, x, "Mean");
            int c = x.Channels;
            for (int i = 0; i < span.Length; i++) span[i] -= mean[i % c];
        }
        if (o.FeaturewiseStdNormalization)
        {
            var std = _std ?? throw NotFit("featurewise_std_normalization", "the per-channel standard deviation");
            CheckChannels(std, x, "Std");
            int c = x.Channels;
            for (int i = 0; i < span.Length; i++) span[i] /= std[i % c] + StdEpsilon;
        }
        if (o.ZcaWhitening)
        {
            var pc = _principalComponents ?? throw NotFit("zca_whitening", "the principal components");
            int d = ZcaDimension;
            if (d != span.Length)
                throw new MirageException($"zca_whitening: the principal components were fit on images of {d} values, but this {x.Info} image has {span.Length}. Fit on images of the size you standardize.");
            Whiten(span, pc);
        }
    }

    private static MirageException NotFit(string option, string what) =>
        new($"{option} is on, but the generator hasn't been fit, so {what} is unknown. Call Fit(sampleImages) first " +
            "(or set Mean/Std/PrincipalComponents to statistics computed elsewhere), or turn the option off.");

    private static void CheckChannels(float[] statistic, Image<float> x, string name)
    {
        if (statistic.Length != x.Channels)
            throw new MirageException($"{name} has {statistic.Length} channel(s) but the image {x.Info} has {x.Channels}. Fit on images with the same channels.");
    }

    private static double MeanOf(ReadOnlySpan<float> span)
    {
        double sum = 0;
        foreach (var v in span) sum += v;
        return sum / span.Length;
    }

    private static void AddScalar(Span<float> span, float value)
    {
        for (int i = 0; i < span.Length; i++) span[i] += value;
    }

    /// <summary>x ← x·PC, as a row vector; rows of PC are streamed once (axpy), which keeps the access contiguous.</summary>
    private static void Whiten(Span<float> x, float[] pc)
    {
        int d = x.Length;
        var output = ArrayPool<float>.Shared.Rent(d);
        try
        {
            var acc = output.AsSpan(0, d);
            acc.Clear();
            for (int i = 0; i < d; i++)
            {
                float a = x[i];
                if (a == 0) continue;
                var row = pc.AsSpan(i * d, d);
                int k = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    var vr = MemoryMarshal.Cast<float, Vector<float>>(row);
                    var va = MemoryMarshal.Cast<float, Vector<float>>(acc);
                    var s = new Vector<float>(a);
                    for (int j = 0; j < vr.Length; j++) va[j] += s * vr[j];
                    k = vr.Length * Vector<float>.Count;
                }
                for (; k < d; k++) acc[k] += a * row[k];
            }
            acc.CopyTo(x);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(output);
        }
    }

    // ------------------------------------------------------------------ fit

    /// <summary>
    /// Keras's fit: computes the per-channel mean (featurewise_center), the per-channel std after centring
    /// (featurewise_std_normalization) and the ZCA matrix (zca_whitening) over <paramref name="x"/>, rescaled, and with
    /// <paramref name="augment"/> over <paramref name="rounds"/> randomly transformed copies (sample i of round r uses
    /// RandomStream.For(seed, r, i)). Samples are streamed, so the data is never copied as a whole.
    /// Rescale is applied first, as in keras-preprocessing ≥ 1.1.1 and tf.keras; <paramref name="applyRescale"/> = false
    /// fits on the images as given, as keras-preprocessing 1.1.0 did (its statistics are then in unscaled units).
    /// The ZCA matrix is computed in double by default; <paramref name="zcaFloat32"/> = true computes it with Keras
    /// 1.1.0's float32 arithmetic instead (its float32 mean, centring and covariance sums, bit for bit; only the
    /// eigendecomposition stays in double): closer to Keras's matrix (3x on the test fixtures' main case); what remains
    /// is Keras's float32 SVD, which is not reproduced.
    /// </summary>
    /// <param name="x">Sample images, all of one shape (HWC, as they come from the loader, usually 0..255); not modified.</param>
    /// <param name="augment">Fit on randomly transformed copies (Keras's augment).</param>
    /// <param name="rounds">Copies per image when augmenting (Keras's rounds); at least 1; ignored otherwise.</param>
    /// <param name="seed">Seed of the augmentation draws, or null for a random one (Keras's seed).</param>
    /// <param name="applyRescale">Multiply by rescale before computing the statistics (keras-preprocessing ≥ 1.1.1).</param>
    /// <param name="zcaFloat32">Accumulate the mean and covariance in float32 one sample at a time, as keras-preprocessing
    /// 1.1.0 does (its ZCA then matches Keras's to its float32 SVD error); the default computes them in double.</param>
    /// <remarks>Does nothing when featurewise_center, featurewise_std_normalization and zca_whitening are all off. Not
    /// thread-safe with <see cref="Standardize"/>: fit first, then standardize.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty or its images differ in shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rounds"/> is less than 1.</exception>
    /// <exception cref="MirageException">ZCA is on and the images hold more than <see cref="MaxZcaDimension"/> values, or
    /// the fit would need more memory than is available.</exception>
    public void Fit(IReadOnlyList<Image<float>> x, bool augment = false, int rounds = 1, ulong? seed = null, bool applyRescale = true,
        bool zcaFloat32 = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireKeras(nameof(Fit), statistics: true);
        if (x.Count == 0) throw new ArgumentException("Fit needs at least one image.", nameof(x));
        if (rounds < 1) throw new ArgumentOutOfRangeException(nameof(rounds), rounds, "rounds must be at least 1.");
        var info = x[0].Info;
        for (int i = 1; i < x.Count; i++)
            if (x[i].Info != info)
                throw new ArgumentException($"Fit needs images of one shape: image 0 is {info}, image {i} is {x[i].Info}. Resize them first.", nameof(x));

        var o = Options;
        if (!o.FeaturewiseCenter && !o.FeaturewiseStdNormalization && !o.ZcaWhitening) return; // Keras computes nothing either
        if (o.ZcaWhitening) CheckZcaFeasible(info); // before anything large is allocated

        int passes = augment ? rounds : 1;
        ulong baseSeed = seed ?? FreshSeed();
        long count = (long)x.Count * passes;
        int channels = info.Channels, length = info.Length;

        // Produces sample k into scratch: rescaled first, then augmented (Keras's order); deterministic, so later
        // passes regenerate it instead of keeping every augmented copy.
        double rescale = o.Rescale is { } rs && applyRescale ? rs : 0;
        using var scratch = new Image<float>(info);
        using var rescaled = augment && rescale != 0 ? new Image<float>(info) : null;
        Span<float> Sample(long k)
        {
            int r = (int)(k / x.Count), i = (int)(k % x.Count);
            var src = x[i];
            if (augment)
            {
                if (rescaled is not null)
                {
                    PointOps.Scale(src.Span, rescaled.Span, (float)rescale);
                    src = rescaled;
                }
                var random = StreamKeys.Sample(baseSeed, r, i);
                RandomTransform(src, scratch, ref random);
            }
            else if (rescale != 0) PointOps.Scale(src.Span, scratch.Span, (float)rescale);
            else src.Span.CopyTo(scratch.Span);
            return scratch.Span;
        }

        // Statistics accumulate in double. The ZCA input is centred with the double mean (Keras subtracts its float32
        // mean in float32); the float32 rounding there would be amplified by the covariance's condition number.
        // With zcaFloat32, Keras 1.1.0's float32 steps instead (zca_whitening turns featurewise_center on): numpy's
        // mean of a float32 array is a float32 sum in memory order, divided in float32.
        bool keras32 = zcaFloat32 && o.ZcaWhitening;
        double[]? meanD = null, stdD = null;
        double pixels = (double)count * info.Height * info.Width;
        if (o.FeaturewiseCenter)
        {
            meanD = new double[channels];
            var sum32 = new float[channels];
            for (long k = 0; k < count; k++)
            {
                var s = Sample(k);
                if (keras32) for (int j = 0; j < length; j++) sum32[j % channels] += s[j];
                else for (int j = 0; j < length; j++) meanD[j % channels] += s[j];
            }
            for (int c = 0; c < channels; c++) meanD[c] = keras32 ? sum32[c] / (float)pixels : meanD[c] / pixels;
        }
        if (o.FeaturewiseStdNormalization)
        {
            stdD = new double[channels];
            for (long k = 0; k < count; k++)
            {
                var s = Sample(k);
                for (int j = 0; j < length; j++)
                {
                    double dv = s[j] - (meanD is null ? 0 : meanD[j % channels]);
                    stdD[j % channels] += dv * dv;
                }
            }
            for (int c = 0; c < channels; c++) stdD[c] = Math.Sqrt(stdD[c] / pixels);
        }
        float[]? pc = null;
        if (o.ZcaWhitening)
        {
            pc = Zca.PrincipalComponents(length, count, (long k, Span<double> row) =>
            {
                var s = Sample(k);
                for (int j = 0; j < length; j++)
                {
                    double v = s[j];
                    if (keras32) v = s[j] - (float)meanD![j % channels]; // centred in float32 (zca turns the std step off)
                    else if (meanD is not null) v -= meanD[j % channels];
                    if (stdD is not null) v /= stdD[j % channels] + StdEpsilon;
                    row[j] = v;
                }
            }, o.ZcaEpsilon, float32Sums: keras32);
        }
        var mean = meanD?.Select(v => (float)v).ToArray();
        var std = stdD?.Select(v => (float)v).ToArray();
        if (mean is not null) _mean = mean;
        if (std is not null) _std = std;
        if (pc is not null) _principalComponents = pc;
    }

    /// <summary>Bytes the ZCA fit needs for <paramref name="dimension"/> features: the D×D double covariance (reused for
    /// the eigenvectors), the D×D float32 result, the previous result if any, and a block of samples.</summary>
    /// <param name="dimension">D = height × width × channels of the images to fit.</param>
    /// <returns>An estimate in bytes, about 12·D² (16·D² when a matrix is already loaded).</returns>
    public long EstimateZcaBytes(int dimension)
    {
        long d = dimension;
        return d * d * sizeof(double) + d * d * sizeof(float) * (_principalComponents is null ? 1 : 2) + Zca.BlockRows * d * sizeof(double) + 16 * d;
    }

    private void CheckZcaFeasible(ImageInfo info)
    {
        long d = (long)info.Height * info.Width * info.Channels;
        long need = EstimateZcaBytes((int)Math.Min(d, int.MaxValue));
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        string size = $"{info.Height}x{info.Width}x{info.Channels}";
        string advice = $"Resize the images smaller before fitting (32x32x{info.Channels} gives D = {32 * 32 * info.Channels}, " +
                        $"about {FormatBytes(EstimateZcaBytes(32 * 32 * info.Channels))}), or turn zca_whitening off.";
        if (d > MaxZcaDimension)
            throw new MirageException(
                $"zca_whitening on {size} images means D = {d} features: a {d}×{d} covariance needing about {FormatBytes(need)} " +
                $"and an O(D³) eigendecomposition. Mirage's limit is D ≤ {MaxZcaDimension} (64x64x3). {advice}");
        if (need > available)
            throw new MirageException(
                $"zca_whitening on {size} images means D = {d} features and needs about {FormatBytes(need)}, " +
                $"more than the {FormatBytes(available)} available. {advice}");
    }

    internal static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F1} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };
}
