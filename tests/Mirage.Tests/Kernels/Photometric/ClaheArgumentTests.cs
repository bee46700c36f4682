using Mirage.Imaging;
using Mirage.Kernels.Photometric;
using static Mirage.Tests.Kernels.TestImages;

namespace Mirage.Tests.Kernels.Photometric;

/// <summary>CLAHE's argument checks and its byte-image overload (survivors of the Kernels Clahe Stryker run: no test
/// had passed a bad value range, short spans, mismatched images or out-of-range parameters).</summary>
public class ClaheArgumentTests
{
    private static readonly ImageInfo Shape = ImageInfo.Create(6, 7, 3);

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_value_range_that_is_not_a_finite_positive_number_is_refused(float range)
    {
        var e = Assert.Throws<ArgumentException>(() => Clahe.Apply(new float[Shape.Length], Shape, new float[Shape.Length], new ClaheParameters(), range));
        Assert.Equal("valueRange", e.ParamName);
    }

    [Fact]
    public void Short_spans_and_mismatched_images_are_refused()
    {
        var p = new ClaheParameters();
        Assert.Throws<ArgumentException>(() => Clahe.Apply(new float[Shape.Length - 1], Shape, new float[Shape.Length], p));
        Assert.Throws<ArgumentException>(() => Clahe.Apply(new float[Shape.Length], Shape, new float[Shape.Length - 1], p));
        Assert.Throws<ArgumentException>(() => Clahe.Apply(new byte[Shape.Length - 1], Shape, new float[Shape.Length], p));
        Assert.Throws<ArgumentException>(() => Clahe.Apply(new byte[Shape.Length], Shape, new float[Shape.Length - 1], p));
        using var f = new Image<float>(Shape);
        using var other = new Image<float>(ImageInfo.Create(7, 6, 3));
        using var b = new Image<byte>(Shape);
        Assert.Throws<ArgumentException>(() => Clahe.Apply(f, other, p));
        Assert.Throws<ArgumentException>(() => Clahe.Apply(b, other, p));
    }

    /// <summary>The byte-image overload equals the span overload it wraps.</summary>
    [Fact]
    public void The_byte_image_overload_equals_the_span_overload()
    {
        using var src = RandomByte(Shape.Height, Shape.Width, 3, 8);
        var p = new ClaheParameters { ClipLimit = 0.02 };
        using var viaImage = new Image<float>(Shape);
        Clahe.Apply(src, viaImage, p);
        var viaSpan = new float[Shape.Length];
        Clahe.Apply(src.Span, Shape, viaSpan, p);
        Assert.True(viaImage.Span.SequenceEqual(viaSpan));
        Assert.Contains(viaSpan, v => v != 0f);
    }

    [Theory]
    [InlineData(-1, 4, 256)]
    [InlineData(4, -1, 256)]
    [InlineData(4, 4, 0)]
    [InlineData(4, 4, ClaheParameters.MaxBins + 1)]
    public void Out_of_range_parameters_are_refused_and_the_edges_kept(int kh, int kw, int nbins)
    {
        var bad = new ClaheParameters { KernelHeight = kh, KernelWidth = kw, NBins = nbins };
        Assert.StartsWith("clahe:", Assert.Throws<ArgumentException>(() => bad.Validate("clahe")).Message);
        var edges = new ClaheParameters { KernelHeight = 0, KernelWidth = 0, NBins = 1 };
        Assert.Equal(edges, edges.Validate());
        Assert.Equal(ClaheParameters.MaxBins, (new ClaheParameters { NBins = ClaheParameters.MaxBins }).Validate().NBins);
    }
}
