using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Composition;
using Mirage.Transforms.Geometric;
using Mirage.Transforms.Photometric;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Transforms;

/// <summary>
/// Every registered transform through one battery (input not mutated, output shape as declared, same stream same
/// bytes, options round-trip through JSON), and Keras's transforms each equal to KerasTransform on the same
/// parameter. The table must name every registered transform, so nothing new escapes.
/// </summary>
public class TransformBatteryTests
{
    /// <summary>Options that make each transform do something.</summary>
    private static readonly Dictionary<string, TransformOptions> Active = new()
    {
        ["rotate"] = new RotateOptions { Degrees = 30 },
        ["shift"] = new ShiftOptions { Height = 0.2, Width = 3 },
        ["shear"] = new ShearOptions { Degrees = 15 },
        ["zoom"] = new ZoomOptions { Range = new Interval(0.7, 1.3) },
        ["horizontal_flip"] = new HorizontalFlipOptions { P = 1 },
        ["vertical_flip"] = new VerticalFlipOptions { P = 1 },
        ["random_resized_crop"] = new RandomResizedCropOptions { Size = new Size(11, 13) },
        ["channel_shift"] = new ChannelShiftOptions { Intensity = 40 },
        ["brightness"] = new BrightnessOptions { Range = new Interval(0.5, 1.5) },
        ["color_jitter"] = new ColorJitterOptions { Brightness = 0.4, Contrast = 0.4, Saturation = 0.4, Hue = 0.1 },
        ["rescale"] = new RescaleOptions(),
        ["normalize"] = new NormalizeOptions { Mean = [100, 110, 120], Std = [50, 60, 70] },
        ["sequential"] = new SequentialOptions { Transforms = [new RotateOptions { Degrees = 5 }] },
        ["one_of"] = new OneOfOptions { Transforms = [new RotateOptions { Degrees = 5 }, new HorizontalFlipOptions()] },
        ["some_of"] = new SomeOfOptions { Transforms = [new RotateOptions { Degrees = 5 }, new HorizontalFlipOptions()], N = 1 },
        ["random_apply"] = new RandomApplyOptions { Transforms = [new RotateOptions { Degrees = 5 }] },
        ["random_order"] = new RandomOrderOptions { Transforms = [new RotateOptions { Degrees = 5 }, new HorizontalFlipOptions()] },
    };

    public static TheoryData<string> Names => new(TransformRegistry.Default.Entries.Select(e => e.Name));

    [Fact]
    public void TheTableNamesEveryRegisteredTransform() =>
        Assert.Equal(TransformRegistry.Default.Entries.Select(e => e.Name).Order(), Active.Keys.Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void Battery(string name)
    {
        var pipeline = new TransformPipeline(Active[name]);
        Assert.Equal(pipeline.ToJson(), TransformPipeline.FromJson(pipeline.ToJson()).ToJson());
        using var bytes = Pipelines.ParameterTapeTests.Photo(17, 23);
        using var floats = ImageConvert.ToFloat(bytes);
        var before = bytes.Span.ToArray();
        for (int i = 0; i < 5; i++)
        {
            var r1 = RandomStream.For(9, 0, i);
            var r2 = r1;
            var tape = pipeline.Sample(ref r1, bytes.Info);
            using var a = TransformPipeline.Run(tape, bytes);
            using var b = pipeline.Apply(bytes, ref r2);
            Assert.Equal(tape.Output, a.Info);
            Assert.True(a.Span.SequenceEqual(b.Span));
            Assert.True(bytes.Span.SequenceEqual(before));
            using var f = new Image<float>(tape.Output);
            TransformPipeline.Run(tape, floats, f);
            foreach (var v in f.Span) Assert.True(float.IsFinite(v));
        }
    }

    public static TheoryData<string> KerasSteps => new() { "rotate", "shift", "shear", "zoom", "horizontal_flip", "vertical_flip", "channel_shift", "brightness" };

    /// <summary>Each Keras transform alone equals KerasTransform.Apply with only its parameter set, bit for bit (floats, Mirage's centre).</summary>
    [Theory]
    [MemberData(nameof(KerasSteps))]
    public void EachKerasTransformEqualsKerasTransformOnItsParameter(string name)
    {
        var pipeline = new TransformPipeline(Active[name]);
        using var bytes = Pipelines.ParameterTapeTests.Photo(17, 23);
        using var src = ImageConvert.ToFloat(bytes);
        for (int i = 0; i < 5; i++)
        {
            var random = RandomStream.For(4, 0, i);
            var tape = pipeline.Sample(ref random, src.Info);
            var k = name switch
            {
                "rotate" => new TransformParameters { Theta = tape.ParametersAt<RotateParams>(0).Degrees },
                "shift" => new TransformParameters { Tx = tape.ParametersAt<ShiftParams>(0).Rows, Ty = tape.ParametersAt<ShiftParams>(0).Cols },
                "shear" => new TransformParameters { Shear = tape.ParametersAt<ShearParams>(0).Degrees },
                "zoom" => new TransformParameters { Zx = tape.ParametersAt<ZoomParams>(0).Rows, Zy = tape.ParametersAt<ZoomParams>(0).Cols },
                "horizontal_flip" => new TransformParameters { FlipHorizontal = tape.ParametersAt<FlipParams>(0).Flip },
                "vertical_flip" => new TransformParameters { FlipVertical = tape.ParametersAt<FlipParams>(0).Flip },
                "channel_shift" => new TransformParameters { ChannelShiftIntensity = tape.ParametersAt<ChannelShiftParams>(0).Shift },
                _ => new TransformParameters { Brightness = tape.ParametersAt<BrightnessParams>(0).Factor },
            };
            using var expected = new Image<float>(src.Info);
            KerasTransform.Apply(src, expected, k, new RotateOptions().Warp); // (new WarpOptions() would be the all-zero struct: nearest, constant)
            using var actual = new Image<float>(src.Info);
            TransformPipeline.Run(tape, src, actual);
            Assert.True(expected.Span.SequenceEqual(actual.Span), $"{name} sample {i}");
        }
    }
}
