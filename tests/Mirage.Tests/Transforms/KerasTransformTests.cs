using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Transforms;

namespace Mirage.Tests.Transforms;

/// <summary>KerasTransform's argument checks, its identity copy, and brightness on RGBA keeping alpha (Pillow's Brightness on an RGBA picture).</summary>
public class KerasTransformTests
{
    private static readonly WarpOptions Warp = new(Interpolation.Bilinear, FillMode.Nearest);

    [Fact]
    public void The_destination_must_be_another_image_of_the_same_shape()
    {
        using var src = new Image<float>(4, 5, 3);
        using var other = new Image<float>(4, 6, 3);
        var e = Assert.Throws<ArgumentException>(() => KerasTransform.Apply(src, other, TransformParameters.Identity, Warp));
        Assert.Equal("The destination must have the source's shape 4x5x3, got 4x6x3. (Parameter 'dst')", e.Message);
        e = Assert.Throws<ArgumentException>(() => KerasTransform.Apply(src, src, TransformParameters.Identity, Warp));
        Assert.Equal("The destination must be a different image from the source. (Parameter 'dst')", e.Message);
    }

    [Fact]
    public void The_identity_copies()
    {
        using var src = Image<float>.Wrap(Enumerable.Range(0, 60).Select(i => i * 1.5f).ToArray(), 4, 5, 3);
        using var dst = new Image<float>(src.Info);
        dst.Span.Fill(-1);
        KerasTransform.Apply(src, dst, TransformParameters.Identity, Warp);
        Assert.Equal(src.Span.ToArray(), dst.Span.ToArray());
        Assert.Null(KerasTransform.Matrix(TransformParameters.Identity, 4, 5, CentreConvention.Keras));
        Assert.NotNull(KerasTransform.Matrix(new TransformParameters { Theta = 1 }, 4, 5, CentreConvention.Keras));
    }

    [Fact]
    public void Brightness_of_rgba_keeps_alpha_at_eight_bits()
    {
        using var src = Image<float>.Wrap([10.5f, 20, 200, 77.75f, 1, 2, 3, 250.25f], 1, 2, 4);
        using var dst = new Image<float>(src.Info);
        KerasTransform.Apply(src, dst, new TransformParameters { Brightness = 2 }, Warp);
        Assert.Equal(new float[] { 20, 40, 255, 77, 2, 4, 6, 250 }, dst.Span.ToArray());
        using var rgb = Image<float>.Wrap([10.5f, 20, 200, 77.75f, 1, 2], 1, 2, 3);
        using var rgbDst = new Image<float>(rgb.Info);
        KerasTransform.Apply(rgb, rgbDst, new TransformParameters { Brightness = 2 }, Warp);
        Assert.Equal(new float[] { 20, 40, 255, 154, 2, 4 }, rgbDst.Span.ToArray());
    }

    [Fact]
    public void Channel_shift_clips_to_the_warped_images_range_then_flips()
    {
        using var src = Image<float>.Wrap([10, 20, 30, 40, 50, 60], 2, 3, 1);
        using var dst = new Image<float>(src.Info);
        KerasTransform.Apply(src, dst, new TransformParameters { ChannelShiftIntensity = 15, FlipHorizontal = true, FlipVertical = true }, Warp);
        Assert.Equal(new float[] { 60, 60, 55, 45, 35, 25 }, dst.Span.ToArray());
        KerasTransform.Apply(src, dst, new TransformParameters { FlipHorizontal = true }, Warp);
        Assert.Equal(new float[] { 30, 20, 10, 60, 50, 40 }, dst.Span.ToArray());
        KerasTransform.Apply(src, dst, new TransformParameters { FlipVertical = true }, Warp);
        Assert.Equal(new float[] { 40, 50, 60, 10, 20, 30 }, dst.Span.ToArray());
    }
}
