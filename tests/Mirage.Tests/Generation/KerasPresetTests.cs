using System.Runtime.InteropServices;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Tests.Data;
using Mirage.Tests.Transforms.Pipelines;
using Mirage.Transforms;
using Mirage.Transforms.Photometric;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Generation;

/// <summary>
/// ImageDataGenerator's Keras preset, built from the shared transforms: its draws are GetRandomTransform's, its float
/// route is KerasTransform.Apply + Standardize bit for bit (the Keras-checked replay path), its byte route is the former
/// fused sample path (one byte warp with Keras's matrix and the flips folded in, scale rescale/(std + 1e-6), offset
/// −mean/(std + 1e-6)), and it follows the generator's statistics as they change.
/// </summary>
public class KerasPresetTests
{
    private static readonly ImageDataGeneratorOptions Reference = new()
    {
        RotationRange = 40, WidthShiftRange = ShiftRange.Uniform(0.2), HeightShiftRange = ShiftRange.Uniform(0.2), ShearRange = 0.2,
        ZoomRange = (0.8, 1.2), HorizontalFlip = true,
    };

    public static TheoryData<string> Configs => new()
    {
        "reference", "everything", "keras-compatible", "constant", "order0-reflect", "wrap-compatible", "integer-shift", "featurewise",
        "featurewise-grey", "samplewise", "preprocessing", "rgba-brightness", "none", "huge-ranges",
    };

    private static (ImageDataGenerator Generator, ImageInfo Shape) Config(string name)
    {
        var o = name switch
        {
            "everything" => Reference with { VerticalFlip = true, ChannelShiftRange = 30, BrightnessRange = (0.6, 1.4), Rescale = 1.0 / 255 },
            "keras-compatible" => Reference with { KerasCompatible = true, VerticalFlip = true, BrightnessRange = (0.5, 1.5) },
            "constant" => Reference with { FillMode = FillMode.Constant, Cval = 0.3, VerticalFlip = true },
            "order0-reflect" => Reference with { InterpolationOrder = Interpolation.Nearest, FillMode = FillMode.Reflect, VerticalFlip = true },
            "wrap-compatible" => Reference with { FillMode = FillMode.Wrap, KerasCompatible = true },
            "integer-shift" => Reference with { WidthShiftRange = ShiftRange.Integer(3), HeightShiftRange = ShiftRange.Choices(0.1, 0.3) },
            "featurewise" or "featurewise-grey" => Reference with { Rescale = 1.0 / 255, FeaturewiseCenter = true, FeaturewiseStdNormalization = true },
            "samplewise" => Reference with { SamplewiseCenter = true, SamplewiseStdNormalization = true, Rescale = 2 },
            "preprocessing" => Reference with { PreprocessingFunction = x => { foreach (ref var v in x.Span) v = MathF.Sqrt(v); } },
            "rgba-brightness" => Reference with { BrightnessRange = (0.2, 1.8), ChannelShiftRange = 10 },
            "none" => new ImageDataGeneratorOptions(),
            "huge-ranges" => Reference with { RotationRange = 720, ShearRange = 120, ZoomRange = (1e-5, 3) },
            _ => Reference,
        };
        var g = new ImageDataGenerator(o);
        if (o.FeaturewiseCenter)
        {
            g.Mean = name == "featurewise-grey" ? [0.5f] : [0.45f, 0.40f, 0.35f];
            g.Std = name == "featurewise-grey" ? [0.3f] : [0.25f, 0.2f, 0.3f];
        }
        var shape = name switch { "rgba-brightness" => ImageInfo.Create(13, 17, 4), "featurewise-grey" => ImageInfo.Create(15, 11, 1), _ => ImageInfo.Create(19, 23, 3) };
        return (g, shape);
    }

    private static Image<float> Pattern(ImageInfo info, int salt)
    {
        var x = new Image<float>(info);
        var r = new RandomStream((ulong)salt);
        for (int i = 0; i < x.Length; i++) x.Span[i] = r.NextInt(256);
        return x;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void TheFloatRouteIsKerasTransformThenStandardizeBitForBit(string config)
    {
        var (g, shape) = Config(config);
        using var x = Pattern(shape, 3);
        using var keras = new Image<float>(shape);
        using var preset = new Image<float>(shape);
        for (int i = 0; i < 40; i++)
        {
            var a = RandomStream.For(9, 1, i);
            var b = a;
            var p = g.GetRandomTransform(shape, ref a);
            var tape = g.Pipeline.Sample(ref b, shape);
            Assert.Equal(a.NextUInt64(), b.NextUInt64()); // the same draws
            Assert.Equal(p, KerasPreset.Parameters(tape));

            KerasTransform.Apply(x, keras, p, g.WarpOptions);
            g.Standardize(keras);
            TransformPipeline.Run(tape, x, preset);
            Assert.True(MemoryMarshal.AsBytes(keras.Span).SequenceEqual(MemoryMarshal.AsBytes(preset.Span)), $"{config}, sample {i}: {p.ToJson()}");
        }
    }

    [Theory]
    [InlineData("reference", DataFormat.ChannelsLast)]
    [InlineData("featurewise", DataFormat.ChannelsFirst)]
    [InlineData("order0-reflect", DataFormat.ChannelsLast)]
    [InlineData("none", DataFormat.ChannelsFirst)]
    public void TheByteRouteIsOneWarpWithKerassMatrixFlipsFoldedAndStandardizeAsScaleOffset(string config, DataFormat layout)
    {
        var (g, shape) = Config(config);
        using var bytes = ImageConvert.ToByte(Pattern(shape, 5));
        var o = g.Options;
        // The former fused sample path, written out as the oracle.
        double rescale = o.Rescale is { } r && r != 0 ? (float)r : 1.0;
        float[] scale = new float[shape.Channels], offset = new float[shape.Channels];
        for (int c = 0; c < shape.Channels; c++)
        {
            double m = o.FeaturewiseCenter ? g.Mean![c] : 0, d = o.FeaturewiseStdNormalization ? (double)(g.Std![c] + ImageDataGenerator.StdEpsilon) : 1;
            scale[c] = (float)(rescale / d);
            offset[c] = (float)(-m / d);
        }
        var expected = new float[shape.Length];
        var actual = new float[shape.Length];
        for (int i = 0; i < 30; i++)
        {
            var a = RandomStream.For(4, 0, i);
            var b = a;
            var p = g.GetRandomTransform(shape, ref a);
            var matrix = KerasTransform.Matrix(p, shape.Height, shape.Width, g.WarpOptions.Centre) ?? AffineMatrix.Identity;
            if (p.FlipHorizontal) matrix *= new AffineMatrix(1, 0, 0, 0, -1, shape.Width - 1);
            if (p.FlipVertical) matrix *= new AffineMatrix(-1, 0, shape.Height - 1, 0, 1, 0);
            if (matrix.IsIdentity) Mirage.Kernels.Photometric.Normalize.ToFloat(bytes, expected, layout, scale, offset);
            else WarpAffine.ApplyToFloat(bytes, expected, layout, matrix, g.WarpOptions, scale, offset);

            var tape = g.Pipeline.Sample(ref b, shape);
            Assert.Equal(PipelinePrecision.FloatWithFusedWarps, tape.Precision);
            TransformPipeline.Run(tape, bytes, actual, layout);
            Assert.True(MemoryMarshal.AsBytes(expected.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(actual.AsSpan())), $"{config}, sample {i}");
        }
    }

    [Fact]
    public void FlowsFollowTheStatisticsAsTheyChange()
    {
        using var t = PipelineFlowTests.Tree(perClass: 3);
        var g = new ImageDataGenerator(Reference with { Rescale = 1.0 / 255, FeaturewiseCenter = true, FeaturewiseStdNormalization = true });
        using var it = g.FlowFromDirectory(t.Path, new DirectoryFlowOptions { TargetSize = (20, 24), BatchSize = 3, Seed = 2, Epochs = 1 });
        Assert.Throws<MirageException>(() => it.GetBatch(0)); // not fit: Keras's standardize says so
        float[] Batch0()
        {
            using var b = it.GetBatch(0);
            return b.X.ToArray();
        }
        g.Mean = [0.5f, 0.5f, 0.5f];
        g.Std = [0.2f, 0.2f, 0.2f];
        var first = Batch0();
        g.Mean[1] = 0.1f; // changed in place
        var second = Batch0();
        Assert.NotEqual(first, second);
        var fresh = new ImageDataGenerator(g.Options) { Mean = [0.5f, 0.1f, 0.5f], Std = [0.2f, 0.2f, 0.2f] };
        using var same = fresh.FlowFromDirectory(t.Path, new DirectoryFlowOptions { TargetSize = (20, 24), BatchSize = 3, Seed = 2, Epochs = 1 });
        using var b0 = same.GetBatch(0);
        Assert.Equal(second, b0.X.ToArray());
        Assert.True(it.FusedSamples > 0);
    }

    [Fact]
    public void TheFusedSamplePathAllocatesNothingOnceWarm()
    {
        var g = new ImageDataGenerator(Reference with { VerticalFlip = true, Rescale = 1.0 / 255, FeaturewiseCenter = true, FeaturewiseStdNormalization = true })
        {
            Mean = [0.45f, 0.40f, 0.35f], Std = [0.25f, 0.2f, 0.3f],
        };
        var shape = ImageInfo.Create(32, 40, 3);
        using var bytes = ImageConvert.ToByte(Pattern(shape, 7));
        var tape = new ParameterTape();
        using var scratch = new RunScratch();
        var slot = new float[shape.Length];
        void Sample(int i)
        {
            var random = RandomStream.For(1, 0, i);
            g.Pipeline.Sample(ref random, shape, tape);
            Assert.True(TapeRunner.Run(tape, bytes, slot, DataFormat.ChannelsFirst, scratch));
        }
        for (int i = 0; i < 8; i++) Sample(i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 8; i < 108; i++) Sample(i);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>An augmenter that is only a pipeline: the data layer reads its plan, with no knowledge of generators.</summary>
    private sealed class PipelineAugmenter(TransformPipeline pipeline) : ISampleAugmenter
    {
        public TransformParameters Sample(ImageInfo shape, ref RandomStream random) => throw new InvalidOperationException("not called");
        public void Apply(Image<float> src, Image<float> dst, in TransformParameters parameters) => throw new InvalidOperationException("not called");
        public void Standardize(Image<float> x) => throw new InvalidOperationException("not called");
        public TransformPipeline Pipeline => pipeline;
    }

    [Theory]
    [InlineData(PipelinePrecision.FloatWithFusedWarps, true)]
    [InlineData(PipelinePrecision.Float, false)]
    public void AUserTransformGetsTheFusedRouteThroughThePublicInterfacesAlone(PipelinePrecision precision, bool fused)
    {
        using var t = PipelineFlowTests.Tree(perClass: 2);
        var pipeline = new TransformPipeline(new SkewOptions(), new Mirage.Transforms.Geometric.HorizontalFlipOptions(), new RescaleOptions())
        {
            Precision = precision,
        };
        using var it = DataPipeline.FromDirectory<float>(t.Path, new PipelineAugmenter(pipeline),
            new DirectoryFlowOptions { TargetSize = (20, 24), BatchSize = 2, Seed = 2, Epochs = 1 });
        foreach (var b in it) b.Dispose();
        Assert.Equal(fused ? 4 : 0, it.FusedSamples);
    }
}
