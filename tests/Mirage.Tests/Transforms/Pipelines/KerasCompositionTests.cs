using Mirage.Generation;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Geometric;
using Mirage.Transforms.Photometric;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Transforms.Pipelines;

/// <summary>
/// Keras's set as individual transforms composes back into Keras: in Keras's order they draw exactly the numbers
/// ImageDataGenerator.GetRandomTransform draws, and their matrices multiply to Keras's R·T·S·Z about the centre.
/// (The preset itself moves onto these transforms in a later round.)
/// </summary>
public class KerasCompositionTests
{
    private static TransformPipeline KerasOrder(CentreConvention centre) => new(
        new RotateOptions { Degrees = 40, Centre = centre }, new ShiftOptions { Height = 0.2, Width = 0.2, Centre = centre },
        new ShearOptions { Degrees = 20, Centre = centre }, new ZoomOptions { Range = new Interval(0.8, 1.2), Centre = centre },
        new HorizontalFlipOptions { Centre = centre }, new VerticalFlipOptions { P = 0, Centre = centre },
        new ChannelShiftOptions { Intensity = 30 }, new BrightnessOptions { Range = new Interval(0.5, 1.5) });

    private static readonly ImageDataGenerator Keras = new(new ImageDataGeneratorOptions
    {
        RotationRange = 40, HeightShiftRange = ShiftRange.Uniform(0.2), WidthShiftRange = ShiftRange.Uniform(0.2), ShearRange = 20,
        ZoomRange = (0.8, 1.2), HorizontalFlip = true, ChannelShiftRange = 30, BrightnessRange = (0.5, 1.5),
    });

    [Theory]
    [InlineData(CentreConvention.PixelCentre)]
    [InlineData(CentreConvention.Keras)]
    public void TheTransformsDrawKerassNumbersAndComposeKerassMatrix(CentreConvention centre)
    {
        var pipeline = KerasOrder(centre);
        var info = ImageInfo.Create(24, 31, 3);
        for (int i = 0; i < 200; i++)
        {
            var a = RandomStream.For(7, 1, i);
            var b = a;
            var k = Keras.GetRandomTransform(info, ref a);
            var tape = pipeline.Sample(ref b, info);
            Assert.Equal(k.Theta, tape.ParametersAt<RotateParams>(0).Degrees);
            Assert.Equal((k.Tx, k.Ty), (tape.ParametersAt<ShiftParams>(1).Rows, tape.ParametersAt<ShiftParams>(1).Cols));
            Assert.Equal(k.Shear, tape.ParametersAt<ShearParams>(2).Degrees);
            Assert.Equal((k.Zx, k.Zy), (tape.ParametersAt<ZoomParams>(3).Rows, tape.ParametersAt<ZoomParams>(3).Cols));
            Assert.Equal(k.FlipHorizontal, tape.ParametersAt<FlipParams>(4).Flip);
            Assert.Equal(k.FlipVertical, tape.ParametersAt<FlipParams>(5).Flip);
            Assert.Equal(k.ChannelShiftIntensity, tape.ParametersAt<ChannelShiftParams>(6).Shift);
            Assert.Equal(k.Brightness, tape.ParametersAt<BrightnessParams>(7).Factor);
            Assert.Equal(a.NextUInt64(), b.NextUInt64()); // the same number of draws

            var keras = AffineMatrix.FromKeras(k.Theta, k.Tx, k.Ty, k.Shear, k.Zx, k.Zy, info.Height, info.Width, centre)!.Value;
            var product = AffineMatrix.Identity;
            var root = (Mirage.Transforms.Composition.Sequential)pipeline.Root;
            product *= ((Rotate)root.Children[0]).Matrix(tape.ParametersAt<RotateParams>(0), info, info);
            product *= ((Shift)root.Children[1]).Matrix(tape.ParametersAt<ShiftParams>(1), info, info);
            product *= ((Shear)root.Children[2]).Matrix(tape.ParametersAt<ShearParams>(2), info, info);
            product *= ((Zoom)root.Children[3]).Matrix(tape.ParametersAt<ZoomParams>(3), info, info);
            Assert.Equal(keras.M00, product.M00, 1e-12);
            Assert.Equal(keras.M01, product.M01, 1e-12);
            Assert.Equal(keras.M02, product.M02, 1e-9);
            Assert.Equal(keras.M10, product.M10, 1e-12);
            Assert.Equal(keras.M11, product.M11, 1e-12);
            Assert.Equal(keras.M12, product.M12, 1e-9);
        }
    }
}
