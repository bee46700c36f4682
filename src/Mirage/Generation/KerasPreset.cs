using System.Text.Json.Serialization;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Composition;
using Mirage.Transforms.Geometric;
using Mirage.Transforms.Photometric;
using Mirage.Transforms.Pipelines;

namespace Mirage.Generation;

/// <summary>
/// Keras's ImageDataGenerator options as a pipeline of the shared transforms, in Keras's draw order: rotate, shift
/// (rows, then columns), shear, zoom, horizontal and vertical flip (both coins always drawn), channel shift and
/// brightness (when their ranges are set), then Keras's standardize (<see cref="KerasStandardize"/>). The centred warps
/// compose as Keras's R·T·S·Z about Keras's centre (the planner multiplies them, then conjugates once), the channel
/// shift commutes with the flips (a flip only moves whole pixels), so the float route computes what
/// <see cref="KerasTransform.Apply"/> and <see cref="ImageDataGenerator.Standardize"/> compute, bit for bit. Precision:
/// <see cref="PipelinePrecision.Float"/> when KerasCompatible, else <see cref="PipelinePrecision.FloatWithFusedWarps"/>.
/// </summary>
internal sealed class KerasPreset
{
    private readonly Rotate _rotate;
    private readonly Shift _shift;
    private readonly Shear _shear;
    private readonly Zoom _zoom;
    private readonly HorizontalFlip _horizontalFlip;
    private readonly VerticalFlip _verticalFlip;

    public KerasPreset(ImageDataGenerator generator)
    {
        var o = generator.Options;
        var centre = o.KerasCompatible ? CentreConvention.Keras : CentreConvention.PixelCentre;
        TransformOptions Warp(WarpTransformOptions options) =>
            options with { Interpolation = o.InterpolationOrder, FillMode = o.FillMode, Cval = o.Cval, Centre = centre };
        var steps = new List<TransformOptions>
        {
            Warp(new RotateOptions { Degrees = o.RotationRange }),
            Warp(new ShiftOptions { HeightRange = o.HeightShiftRange, WidthRange = o.WidthShiftRange }),
            Warp(new ShearOptions { Degrees = o.ShearRange }),
            Warp(new ZoomOptions { Range = new Interval(o.ZoomRange.Low, o.ZoomRange.High) }),
            Warp(new HorizontalFlipOptions { P = o.HorizontalFlip ? 0.5 : 0 }),
            Warp(new VerticalFlipOptions { P = o.VerticalFlip ? 0.5 : 0 }),
        };
        if (o.ChannelShiftRange != 0) steps.Add(new ChannelShiftOptions { Intensity = o.ChannelShiftRange });
        if (o.BrightnessRange is { } b) steps.Add(new BrightnessOptions { Range = new Interval(b.Low, b.High) });
        steps.Add(new KerasStandardizeOptions { Generator = generator });
        Pipeline = new TransformPipeline(steps.ToArray())
        {
            Precision = o.KerasCompatible ? PipelinePrecision.Float : PipelinePrecision.FloatWithFusedWarps,
        };
        var children = ((Sequential)Pipeline.Root).Children;
        _rotate = (Rotate)children[0];
        _shift = (Shift)children[1];
        _shear = (Shear)children[2];
        _zoom = (Zoom)children[3];
        _horizontalFlip = (HorizontalFlip)children[4];
        _verticalFlip = (VerticalFlip)children[5];
    }

    public TransformPipeline Pipeline { get; }

    /// <summary>The Keras parameter dictionary of a tape this preset drew (its standardize steps draw nothing).</summary>
    public static TransformParameters Parameters(ParameterTape tape)
    {
        var p = new TransformParameters();
        for (int i = 0; i < tape.Count; i++)
        {
            p = tape[i].Transform switch
            {
                Rotate => p with { Theta = tape.ParametersAt<RotateParams>(i).Degrees },
                Shift => tape.ParametersAt<ShiftParams>(i) is var s ? p with { Tx = s.Rows, Ty = s.Cols } : p,
                Shear => p with { Shear = tape.ParametersAt<ShearParams>(i).Degrees },
                Zoom => tape.ParametersAt<ZoomParams>(i) is var z ? p with { Zx = z.Rows, Zy = z.Cols } : p,
                HorizontalFlip => p with { FlipHorizontal = tape.ParametersAt<FlipParams>(i).Flip },
                VerticalFlip => p with { FlipVertical = tape.ParametersAt<FlipParams>(i).Flip },
                ChannelShift => p with { ChannelShiftIntensity = tape.ParametersAt<ChannelShiftParams>(i).Shift },
                Brightness => p with { Brightness = tape.ParametersAt<BrightnessParams>(i).Factor },
                _ => p,
            };
        }
        return p;
    }

    /// <summary>The geometric part of Keras's parameters as a tape of this preset's warps (input and output <paramref name="shape"/>).</summary>
    public ParameterTape Geometry(in TransformParameters p, ImageInfo shape, ParameterTape tape)
    {
        tape.Clear(shape);
        tape.Precision = Pipeline.Precision;
        tape.Append(_rotate, shape, shape, new RotateParams(p.Theta));
        tape.Append(_shift, shape, shape, new ShiftParams(p.Tx, p.Ty));
        tape.Append(_shear, shape, shape, new ShearParams(p.Shear));
        tape.Append(_zoom, shape, shape, new ZoomParams(p.Zx, p.Zy));
        tape.Append(_horizontalFlip, shape, shape, new FlipParams(p.FlipHorizontal));
        tape.Append(_verticalFlip, shape, shape, new FlipParams(p.FlipVertical));
        return tape;
    }
}

/// <summary>Options of <see cref="KerasStandardize"/>: the generator whose options and statistics it reads.</summary>
internal sealed record KerasStandardizeOptions : TransformOptions
{
    public override string Name => "keras_standardize";
    public override ITransform Create() => new KerasStandardize(this);

    [JsonIgnore] public ImageDataGenerator Generator { get; init; } = null!;
}

/// <summary>
/// Keras's standardize as the preset's last steps, chosen per sample from the generator's options and its statistics
/// as they are now (Fit and the Mean/Std setters change them): rescale and featurewise centre/std as
/// <see cref="Rescale"/> and <see cref="Normalize"/> (per-channel affine: they fold into the fused warp's scale and
/// offset), or, when the options hold a step that is not per-channel affine (preprocessing_function, samplewise
/// centre/std, ZCA) or the statistics are missing or do not fit the image, the generator's own
/// <see cref="ImageDataGenerator.Standardize"/> as one float step (which raises Keras's errors).
/// </summary>
internal sealed class KerasStandardize : ITransform
{
    private readonly ImageDataGenerator _generator;
    private readonly Rescale? _rescale;
    private readonly StandardizeStep _exact;
    private volatile Featurewise? _featurewise;

    public KerasStandardize(KerasStandardizeOptions options)
    {
        Options = options;
        _generator = options.Generator;
        var o = _generator.Options;
        if (o.Rescale is { } r && r != 0) _rescale = new Rescale(new RescaleOptions { Factor = r });
        _exact = new StandardizeStep(new StandardizeStepOptions { Generator = _generator });
    }

    public string Name => Options.Name;
    public TransformOptions Options { get; }

    public void Sample(ref RandomStream random, ref ImageInfo shape, ParameterTape tape)
    {
        var o = _generator.Options;
        Normalize? normalize = null;
        bool exact = o.PreprocessingFunction is not null || o.SamplewiseCenter || o.SamplewiseStdNormalization || o.ZcaWhitening
                     || (o.FeaturewiseCenter && (normalize = NormalizeFor(shape.Channels)) is null);
        if (exact)
        {
            _exact.Sample(ref random, ref shape, tape);
            return;
        }
        _rescale?.Sample(ref random, ref shape, tape);
        normalize?.Sample(ref random, ref shape, tape);
    }

    /// <summary>The featurewise step for the statistics as they are now, or null when they are missing, do not have
    /// <paramref name="channels"/> values, or divide by zero or less (Standardize then says what is wrong).</summary>
    private Normalize? NormalizeFor(int channels)
    {
        var o = _generator.Options;
        var mean = _generator.Mean;
        var std = o.FeaturewiseStdNormalization ? _generator.Std : null;
        if (mean?.Length != channels || (o.FeaturewiseStdNormalization && std?.Length != channels)) return null;
        var f = _featurewise;
        if (f is not null && f.Matches(mean, std)) return f.Transform;
        if (std is not null && std.Any(s => !(s >= 0))) return null; // a normalize step divides by std + epsilon > 0
        f = new Featurewise(mean.ToArray(), std?.ToArray());
        _featurewise = f; // benign race: threads that miss build equal steps
        return f.Transform;
    }

    /// <summary>Statistics as they were when the step was built (compared by value: a caller may change the arrays in place).</summary>
    private sealed class Featurewise(float[] mean, float[]? std)
    {
        public Normalize Transform { get; } = new(new NormalizeOptions
        {
            Mean = mean.Select(v => (double)v).ToArray(),
            Std = std?.Select(v => (double)v).ToArray() ?? [1.0],
            Epsilon = std is null ? 0 : ImageDataGenerator.StdEpsilon, // float + float, as Standardize adds them
        });

        public bool Matches(float[] m, float[]? s) =>
            m.AsSpan().SequenceEqual(mean) && (s is null ? std is null : std is not null && s.AsSpan().SequenceEqual(std));
    }
}

/// <summary>Options of <see cref="StandardizeStep"/>.</summary>
internal sealed record StandardizeStepOptions : TransformOptions
{
    public override string Name => "standardize";
    public override ITransform Create() => new StandardizeStep(this);

    [JsonIgnore] public ImageDataGenerator Generator { get; init; } = null!;
}

/// <summary>The generator's <see cref="ImageDataGenerator.Standardize"/> on floats (Keras's computations and errors).</summary>
internal sealed class StandardizeStep(StandardizeStepOptions options) : Transform<StandardizeStepOptions, NoParams>(options), IPhotometricTransform<NoParams>
{
    public override NoParams Sample(ref RandomStream random, in ImageInfo image) => default;

    public override void Apply(in NoParams p, Image<float> src, Image<float> dst)
    {
        src.Span.CopyTo(dst.Span);
        Options.Generator.Standardize(dst);
    }

    public override void Apply(in NoParams p, Image<byte> src, Image<byte> dst) =>
        throw new NotSupportedException("Keras's standardize computes on floats; the Keras preset runs it on the float route.");
}
