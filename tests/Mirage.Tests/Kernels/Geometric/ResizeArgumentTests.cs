using Mirage.Imaging;
using Mirage.Kernels.Geometric;

namespace Mirage.Tests.Kernels.Geometric;

/// <summary>Resize's argument checks and its whole-image shortcut (survivors of the Kernels Normalize + Resize Stryker
/// run: no test had passed a bad destination, a box outside the source, or a box that is not the whole image at the
/// source's own size).</summary>
public class ResizeArgumentTests
{
    [Fact]
    public void A_destination_with_other_channels_or_the_source_itself_is_refused()
    {
        using var src = TestImages.RandomByte(8, 10, 3, 1);
        using var gray = new Image<byte>(ImageInfo.Create(4, 5, 1));
        Assert.Equal("dst", Assert.Throws<ArgumentException>(() => Resize.Apply(src, gray, ResizeInterpolation.Bilinear)).ParamName);
        Assert.Equal("dst", Assert.Throws<ArgumentException>(() => Resize.Apply(src, src, ResizeInterpolation.Bilinear)).ParamName);
    }

    public static TheoryData<float, float, float, float> BoxesOutside => new()
    {
        { -1, 0, 10, 8 }, { 0, -1, 10, 8 }, { 0, 0, 11, 8 }, { 0, 0, 10, 9 }, { 5, 0, 4, 8 }, { 0, 5, 10, 4 },
    };

    [Theory]
    [MemberData(nameof(BoxesOutside))]
    public void A_box_that_does_not_lie_inside_the_source_is_refused(float left, float top, float right, float bottom)
    {
        using var src = TestImages.RandomByte(8, 10, 3, 2);
        using var dst = new Image<byte>(ImageInfo.Create(4, 5, 3));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Resize.Apply(src, dst, ResizeInterpolation.Bilinear, new ResizeBox(left, top, right, bottom)));
        Assert.Equal("box", e.ParamName);
    }

    public static TheoryData<float, float, float, float> PartBoxes => new()
    {
        { 2, 0, 10, 8 }, { 0, 2, 10, 8 }, { 0, 0, 8, 8 }, { 0, 0, 10, 6 },
    };

    /// <summary>A box missing any one edge of the source, resized to the source's own size, is stretched — not the
    /// plain copy the whole image at its own size takes.</summary>
    [Theory]
    [MemberData(nameof(PartBoxes))]
    public void Only_the_whole_image_at_its_own_size_is_copied(float left, float top, float right, float bottom)
    {
        using var src = TestImages.RandomByte(8, 10, 3, 3);
        foreach (var filter in new[] { ResizeInterpolation.Nearest, ResizeInterpolation.Bilinear })
        {
            using var dst = new Image<byte>(src.Info);
            Resize.Apply(src, dst, filter, new ResizeBox(left, top, right, bottom));
            Assert.False(dst.Span.SequenceEqual(src.Span), $"{filter} box ({left}, {top}, {right}, {bottom}) came out as a copy");
            using var whole = new Image<byte>(src.Info);
            Resize.Apply(src, whole, filter, new ResizeBox(0, 0, 10, 8));
            Assert.True(whole.Span.SequenceEqual(src.Span));
        }
    }
}
