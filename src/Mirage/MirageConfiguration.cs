using System.Buffers;
using Mirage.Codecs;

namespace Mirage;

/// <summary>Which vector instructions the kernels may use (<see cref="MirageConfiguration.SimdLevel"/>). Every level
/// computes the same bytes; the narrower ones exist to check that, and for machines where the wide path is slow.</summary>
public enum SimdLevel
{
    /// <summary>The widest the machine has (AVX2, else 128-bit vectors where accelerated, else scalar): the default.</summary>
    Auto,
    /// <summary>256-bit vectors (AVX2) where the CPU has them, else as <see cref="Vector128"/>.</summary>
    Vector256,
    /// <summary>128-bit vectors (SSE/SSSE3 on x86, AdvSimd on ARM64) where accelerated, else scalar.</summary>
    Vector128,
    /// <summary>Scalar code only.</summary>
    Scalar,
}

/// <summary>Which library decodes JPEG files (<see cref="MirageConfiguration.JpegDecoder"/>).</summary>
public enum JpegDecoderChoice
{
    /// <summary>libjpeg-turbo when the system has it (libturbojpeg.so.0, Pillow's decoder), else SkiaSharp: the default.</summary>
    Auto,
    /// <summary>The system's libjpeg-turbo; decoding a JPEG without it installed throws <see cref="MirageException"/>.
    /// Streams it refuses (CMYK, warnings) still fall back to SkiaSharp, as with <see cref="Auto"/>.</summary>
    LibjpegTurbo,
    /// <summary>SkiaSharp's bundled decoder (what a machine without libjpeg-turbo uses).</summary>
    SkiaSharp,
}

/// <summary>
/// How Mirage runs, never what it computes: SIMD level, JPEG decoder, worker cap, warp tiling, the fused path, memory
/// pools. Immutable; pass one to a generator (<c>new ImageDataGenerator(o) { Configuration = c }</c>), to a flow
/// (<see cref="Data.FlowOptions.Configuration"/>), to <see cref="Data.ImageLoadOptions.Configuration"/> or to
/// <see cref="ImageDecoder"/>; everything else uses <see cref="Default"/>. Two generators with different configurations
/// run side by side in one process, each with its own.
/// </summary>
/// <remarks>
/// <para>Modelled on ImageSharp's <c>Configuration</c>, and named <c>MirageConfiguration</c> rather than
/// <c>Configuration</c> so that it clashes neither with <c>Microsoft.Extensions.Configuration</c> nor with Mirage's own
/// "config" (the JSON augmentation config, <see cref="Transforms.Pipelines.PipelineConfig"/>), which says <em>what</em>
/// to compute. Every setting here leaves the output bytes unchanged (SIMD levels, tiling, the fused path on a tape that
/// can fuse, pools and workers are checked to give identical bytes), except the JPEG decoder:
/// SkiaSharp and libjpeg-turbo agree on the files measured, but they are different libraries.</para>
/// <para>The library reads a configuration once per call and passes the values its kernels need down as arguments:
/// no setting is global or per thread.</para>
/// </remarks>
public sealed record MirageConfiguration
{
    /// <summary>The configuration used wherever none is given: every setting at its default.</summary>
    public static MirageConfiguration Default { get; } = new();

    /// <summary>Vector instructions the kernels may use; default <see cref="SimdLevel.Auto"/>. Honoured by
    /// <see cref="Kernels.Geometric.WarpAffine"/> and the byte-to-float conversion of a pipeline's plan (where a pipeline's
    /// time goes); a transform's own kernel (a non-warp step) takes its widest path.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to an undefined value.</exception>
    public SimdLevel SimdLevel
    {
        get;
        init => field = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(SimdLevel), value, "SimdLevel must be Auto, Vector256, Vector128 or Scalar.");
    }

    /// <summary>Which library decodes JPEG; default <see cref="JpegDecoderChoice.Auto"/> (libjpeg-turbo when present;
    /// the environment variable MIRAGE_DISABLE_TURBOJPEG=1 makes it absent for the whole process).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to an undefined value.</exception>
    public JpegDecoderChoice JpegDecoder
    {
        get;
        init => field = Enum.IsDefined(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(JpegDecoder), value, "JpegDecoder must be Auto, LibjpegTurbo or SkiaSharp.");
    }

    /// <summary>Decode a JPEG asked for at 1/8 scale with Mirage's own decoder (the bytes libjpeg-turbo gives at 1/8,
    /// about twice as fast); default true, false when the environment variable MIRAGE_DISABLE_EIGHTH_DECODER=1 was set
    /// at start-up.</summary>
    public bool EighthScaleJpegDecoder { get; init; } = JpegEighthDecoder.EnabledByEnvironment;

    /// <summary>At most this many worker threads per flow or <c>mirage augment</c> run, whatever
    /// <see cref="Data.FlowOptions.Workers"/> asks (0: batches are built on the thread that asks for them); null (the
    /// default) for no cap. The bytes do not depend on it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 0.</exception>
    public int? MaxWorkers
    {
        get;
        init => field = value is null or >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxWorkers), value, "MaxWorkers cannot be negative (null: no cap).");
    }

    /// <summary>Output rows per band of the byte warp (1..32); default 8. With <see cref="WarpTileWidth"/>, a band × tile
    /// footprint of a rotated warp stays in L1. The bytes do not depend on it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set outside 1..32.</exception>
    public int WarpBandRows
    {
        get;
        init => field = value is >= 1 and <= Kernels.Geometric.WarpAffine.MaxBandRows ? value
            : throw new ArgumentOutOfRangeException(nameof(WarpBandRows), value, $"WarpBandRows must be between 1 and {Kernels.Geometric.WarpAffine.MaxBandRows}.");
    } = 8;

    /// <summary>Columns per tile of the byte warp's bands; 0 for whole rows; default 64. The bytes do not depend on it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 0.</exception>
    public int WarpTileWidth
    {
        get;
        init => field = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(WarpTileWidth), value, "WarpTileWidth cannot be negative (0: whole rows).");
    } = 64;

    /// <summary>Let a flow take the fused byte route where its pipeline's precision leaves the choice (an
    /// ImageDataGenerator that is not KerasCompatible: one byte warp writes the batch slot; a flow without an augmenter:
    /// decoded bytes straight into the slot); default true. False runs those flows on floats, as Keras does, which
    /// tests use to compare the two routes.</summary>
    public bool FusedPath { get; init; } = true;

    /// <summary>Where a flow's per-thread byte images (the plan's intermediate images) are rented; default
    /// <see cref="ArrayPool{T}.Shared"/>. Decoders and images made by user code use the shared pool.</summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public ArrayPool<byte> BytePool
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(BytePool));
    } = ArrayPool<byte>.Shared;

    /// <summary>Where a flow's per-thread float images (input, output, the plan's intermediate images) and its batches'
    /// label and weight arrays are rented; default <see cref="ArrayPool{T}.Shared"/>.</summary>
    /// <exception cref="ArgumentNullException">Set to null.</exception>
    public ArrayPool<float> FloatPool
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(FloatPool));
    } = ArrayPool<float>.Shared;

    /// <summary>The name of the library that decodes JPEG under this configuration on this machine: "libjpeg-turbo" or
    /// "SkiaSharp".</summary>
    /// <exception cref="MirageException"><see cref="JpegDecoder"/> is <see cref="JpegDecoderChoice.LibjpegTurbo"/> and
    /// the system has no libjpeg-turbo.</exception>
    public string JpegDecoderName => DecodeSettings.Of(this).Turbo ? "libjpeg-turbo" : "SkiaSharp";

    /// <summary>Workers a flow or run actually starts when <paramref name="requested"/> are asked for.</summary>
    internal int Workers(int requested) => MaxWorkers is { } cap ? Math.Min(requested, cap) : requested;
}
