using Mirage.Generation;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Geometric;
using Mirage.Transforms.Photometric;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Transforms.Pipelines;

/// <summary>A user-written geometric transform, built only on the public interfaces: a random transpose-like skew.</summary>
public sealed record SkewOptions : WarpTransformOptions
{
    public override string Name => "skew";
    public override ITransform Create() => new Skew(this);

    [Option("largest skew factor", Min = 0, Max = 1)]
    public double Amount { get; init => field = Checked(value); } = 0.2;
}

public readonly record struct SkewParams(double K);

public sealed class Skew(SkewOptions options) : Transform<SkewOptions, SkewParams>(options), IGeometricTransform<SkewParams>
{
    public WarpOptions Warp => Options.Warp;

    public override SkewParams Sample(ref RandomStream random, in ImageInfo image) => new(random.Uniform(-Options.Amount, Options.Amount));

    public AffineMatrix Matrix(in SkewParams p, in ImageInfo input, in ImageInfo output) => new(1, p.K, -p.K * (input.Width - 1) / 2.0, 0, 1, 0);

    public override void Apply(in SkewParams p, Image<byte> src, Image<byte> dst) => WarpAffine.Apply(src, dst, Matrix(p, src.Info, dst.Info), Warp);

    public override void Apply(in SkewParams p, Image<float> src, Image<float> dst) => WarpAffine.Apply(src, dst, Matrix(p, src.Info, dst.Info), Warp);
}

/// <summary>A user-written transform that declares nothing: it runs as a step of its own and says it cannot move keypoints.</summary>
public sealed record InvertOptions : TransformOptions
{
    public override string Name => "invert";
    public override ITransform Create() => new Invert(this);
}

public sealed class Invert(InvertOptions options) : Transform<InvertOptions, NoParams>(options)
{
    public override NoParams Sample(ref RandomStream random, in ImageInfo image) => default;

    public override void Apply(in NoParams p, Image<byte> src, Image<byte> dst)
    {
        for (int i = 0; i < src.Length; i++) dst.Span[i] = (byte)(255 - src.Span[i]);
    }

    public override void Apply(in NoParams p, Image<float> src, Image<float> dst)
    {
        for (int i = 0; i < src.Length; i++) dst.Span[i] = 255 - src.Span[i];
    }
}

/// <summary>The fused plan: adjacent geometric steps (a user-written one included) become one warp, trailing per-channel affine steps its scale/offset.</summary>
public class FusedPlanTests
{
    private static readonly NormalizeOptions Norm = new() { Mean = [0.5, 0.4, 0.3], Std = [0.2, 0.25, 0.3] };

    [Fact]
    public void AUserWrittenGeometricTransformFusesIntoTheSingleWarp()
    {
        var pipeline = new TransformPipeline(new RotateOptions { Degrees = 25 }, new SkewOptions(), new HorizontalFlipOptions { P = 1 },
            new RescaleOptions(), Norm);
        using var src = ParameterTapeTests.Photo(33, 41);
        var random = new RandomStream(12);
        var tape = pipeline.Sample(ref random, src.Info);

        var plan = TransformPipeline.Plan(tape);
        Assert.Equal(1, plan.WarpPasses);
        var pass = Assert.Single(plan.Passes);
        Assert.Equal(["rotate", "skew", "horizontal_flip"], pass.Transforms);
        Assert.Equal(["rescale", "normalize"], pass.ScaleOffset);
        Assert.Equal("warp[rotate, skew, horizontal_flip] + scale_offset[rescale, normalize]", plan.ToString());

        // The fused run is exactly one byte→float warp with the product matrix and the composed scale/offset.
        var fused = new float[src.Length];
        TransformPipeline.Run(tape, src, fused, DataFormat.ChannelsLast);
        var m = ((IGeometricTransform<RotateParams>)pipeline.Root.As<Rotate>(0)).Matrix(tape.ParametersAt<RotateParams>(0), src.Info, src.Info)
                * new Skew(new SkewOptions()).Matrix(tape.ParametersAt<SkewParams>(1), src.Info, src.Info)
                * new AffineMatrix(1, 0, 0, 0, -1, src.Width - 1);
        float[] scale = new float[3], offset = new float[3];
        for (int c = 0; c < 3; c++)
        {
            double d = (float)Norm.Std[c];
            scale[c] = (float)((float)(1.0 / 255) / d); // rescale's factor, then normalize's division by std, composed in double
            offset[c] = (float)(-(float)Norm.Mean[c] / d);
        }
        var expected = new float[src.Length];
        WarpAffine.ApplyToFloat(src, expected, DataFormat.ChannelsLast, m, new RotateOptions().Warp, scale, offset);
        Assert.True(expected.AsSpan().SequenceEqual(fused));
    }

    [Fact]
    public void StepsThatCannotFuseSplitThePlan()
    {
        var pipeline = new TransformPipeline(new RotateOptions { Degrees = 25 }, new InvertOptions(), new SkewOptions(),
            new HorizontalFlipOptions { P = 1 }, new ColorJitterOptions { Brightness = 0.3 }, new RescaleOptions());
        var random = new RandomStream(12);
        var tape = pipeline.Sample(ref random, ImageInfo.Create(20, 20, 3));
        var plan = TransformPipeline.Plan(tape);
        Assert.Equal("warp[rotate] -> step[invert] -> warp[skew, horizontal_flip] -> step[color_jitter] -> convert[] + scale_offset[rescale]", plan.ToString());
        Assert.Equal("warp[rotate] -> step[invert] -> warp[skew, horizontal_flip] -> step[color_jitter] -> step[rescale]",
            TransformPipeline.Plan(tape, floatOutput: false).ToString());
    }

    [Fact]
    public void DifferentWarpSettingsDoNotFuse()
    {
        var pipeline = new TransformPipeline(new RotateOptions { Degrees = 25 }, new ZoomOptions { Range = new Interval(0.9, 1.1), Interpolation = Interpolation.Nearest });
        var random = new RandomStream(1);
        Assert.Equal(2, TransformPipeline.Plan(pipeline.Sample(ref random, ImageInfo.Create(9, 9, 1))).WarpPasses);
    }

    [Fact]
    public void FusedFloatOutputIsTheByteOutputScaledWhenNothingFollowsTheWarp()
    {
        var pipeline = new TransformPipeline(new RotateOptions { Degrees = 25 }, new ShiftOptions { Height = 0.1 }, new RescaleOptions { Factor = 2 });
        using var src = ParameterTapeTests.Photo(17, 23);
        var random = new RandomStream(4);
        var tape = pipeline.Sample(ref random, src.Info);
        var floats = new float[src.Length];
        TransformPipeline.Run(tape, src, floats, DataFormat.ChannelsLast);
        var bytesTape = new TransformPipeline(new RotateOptions { Degrees = 25 }, new ShiftOptions { Height = 0.1 });
        var random2 = new RandomStream(4);
        using var bytes = TransformPipeline.Run(bytesTape.Sample(ref random2, src.Info), src);
        for (int i = 0; i < floats.Length; i++) Assert.Equal(bytes.Span[i] * 2f, floats[i]);
    }

    [Fact]
    public void KeypointsAndMasksFollowTheMatrixAndPhotometricStepsLeaveThemAlone()
    {
        var flip = new HorizontalFlip(new HorizontalFlipOptions());
        var info = ImageInfo.Create(10, 20, 3);
        Span<Keypoint> k = [new(2, 3)];
        flip.ApplyToKeypoints(new FlipParams(true), info, k);
        Assert.Equal(new Keypoint(2, 16), k[0]);
        Span<BoundingBox> b = [new(1, 2, 5, 6)];
        flip.ApplyToBoxes(new FlipParams(true), info, b);
        Assert.Equal(new BoundingBox(1, 13, 5, 17), b[0]);
        new ColorJitter(new ColorJitterOptions { Hue = 0.1 }).ApplyToKeypoints(default, info, k);
        Assert.Equal(new Keypoint(2, 16), k[0]);
        using var mask = new Image<byte>(10, 20, 1);
        mask[2, 3, 0] = 7;
        using var moved = new Image<byte>(10, 20, 1);
        flip.ApplyToMask(new FlipParams(true), mask, moved);
        Assert.Equal(7, moved[2, 16, 0]);
        var points = new Keypoint[1];
        var e = Assert.Throws<NotSupportedException>(() => new Invert(new InvertOptions()).ApplyToKeypoints(default, info, points));
        Assert.Contains("invert does not say how it changes keypoints", e.Message);
    }
}

internal static class TransformTreeExtensions
{
    /// <summary>Child <paramref name="i"/> of a composition, typed.</summary>
    public static T As<T>(this ITransform t, int i) => (T)((Mirage.Transforms.Composition.Sequential)t).Children[i];
}
