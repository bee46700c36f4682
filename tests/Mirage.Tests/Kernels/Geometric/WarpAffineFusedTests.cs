using Mirage.Generation;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Kernels.Photometric;
using Mirage.Randomness;
using Mirage.Tests.Kernels.Photometric;

namespace Mirage.Tests.Kernels.Geometric;

/// <summary>The fused byte → float warp, and the byte fast paths on realistic (reference-configuration) matrices.</summary>
public class WarpAffineFusedTests
{
    private static AffineMatrix ReferenceMatrix(ref RandomStream rng, int h, int w, CentreConvention centre) =>
        AffineMatrix.FromKeras(rng.Uniform(-40, 40), rng.Uniform(-0.2, 0.2) * h, rng.Uniform(-0.2, 0.2) * w, rng.Uniform(-20, 20),
            rng.Uniform(0.8, 1.2), rng.Uniform(0.8, 1.2), h, w, centre) ?? AffineMatrix.Identity;

    [Theory]
    [InlineData(Interpolation.Bilinear, FillMode.Nearest)]
    [InlineData(Interpolation.Bilinear, FillMode.Constant)]
    [InlineData(Interpolation.Bilinear, FillMode.Reflect)]
    [InlineData(Interpolation.Bilinear, FillMode.Wrap)]
    [InlineData(Interpolation.Nearest, FillMode.Nearest)]
    [InlineData(Interpolation.Nearest, FillMode.Constant)]
    public void FusedEqualsWarpThenConvert(Interpolation order, FillMode fill)
    {
        var rng = new RandomStream(3);
        var options = new WarpOptions(order, fill, 40f);
        foreach (var (h, w) in new[] { (1, 1), (17, 23), (40, 56), (9, 300) })
            for (int c = 1; c <= 5; c++)
                foreach (var layout in new[] { DataFormat.ChannelsLast, DataFormat.ChannelsFirst })
                {
                    using var src = TestImages.RandomByte(h, w, c, rng.NextUInt64());
                    var m = ReferenceMatrix(ref rng, h, w, options.Centre);
                    var (scale, offset) = NormalizeTests.Params(c, perChannel: c != 1);
                    using var warped = new Image<byte>(src.Info);
                    WarpAffine.Apply(src, warped, m, options);
                    var expected = new float[src.Length];
                    Normalize.ToFloat(warped, expected, layout, scale, offset);
                    var fused = new float[src.Length];
                    WarpAffine.ApplyToFloat(src, fused, layout, m, options, scale, offset);
                    Assert.True(fused.AsSpan().SequenceEqual(expected), $"{h}x{w}x{c} {layout} {m}");
                    var scalar = new float[src.Length];
                    WarpAffine.ApplyToFloat(src, scalar, h, w, layout, m, options, scale, offset, vectorized: false);
                    Assert.True(scalar.AsSpan().SequenceEqual(expected), $"scalar {h}x{w}x{c} {layout}");
                }
    }

    [Fact]
    public void FusedWritesAnotherOutputSize()
    {
        using var src = TestImages.RandomByte(20, 24, 3, 5);
        var dst = new float[10 * 12 * 3];
        WarpAffine.ApplyToFloat(src, dst, 10, 12, DataFormat.ChannelsFirst, AffineMatrix.Zoom(2, 2), new WarpOptions(Interpolation.Nearest), [1f], [0f]);
        for (int r = 0; r < 10; r++)
            for (int c = 0; c < 12; c++)
                for (int k = 0; k < 3; k++)
                    Assert.Equal(src[2 * r, 2 * c, k], dst[(k * 10 + r) * 12 + c]);
    }

    public static TheoryData<Interpolation, FillMode, bool> AllOptions()
    {
        var data = new TheoryData<Interpolation, FillMode, bool>();
        foreach (var order in new[] { Interpolation.Nearest, Interpolation.Bilinear })
            foreach (var fill in new[] { FillMode.Nearest, FillMode.Constant, FillMode.Reflect, FillMode.Wrap })
                foreach (bool keras in new[] { false, true })
                    data.Add(order, fill, keras);
        return data;
    }

    /// <summary>Large images and reference-configuration matrices: edge clamps, the bottom-right corner, long interior runs.</summary>
    [Theory]
    [MemberData(nameof(AllOptions))]
    public void VectorEqualsScalarOnReferenceMatrices(Interpolation order, FillMode fill, bool keras)
    {
        var rng = new RandomStream(11);
        var options = new WarpOptions(order, fill, 77f, keras);
        foreach (var (h, w) in new[] { (64, 64), (37, 101), (2, 2), (2, 17), (31, 2) })
            for (int c = 1; c <= 4; c++)
                for (int trial = 0; trial < 3; trial++)
                {
                    var m = trial == 2 ? AffineMatrix.AboutCentre(AffineMatrix.Zoom(1.6, 1.7), h, w, options.Centre) : ReferenceMatrix(ref rng, h, w, options.Centre);
                    using var src = TestImages.RandomByte(h, w, c, rng.NextUInt64());
                    using var v = new Image<byte>(src.Info);
                    using var s = new Image<byte>(src.Info);
                    WarpAffine.Apply(src, v, m, options, vectorized: true);
                    WarpAffine.Apply(src, s, m, options, vectorized: false);
                    Assert.True(v.Span.SequenceEqual(s.Span), $"byte {h}x{w}x{c} {m}");
                    using var fsrc = ImageConvert.ToFloat(src);
                    using var fv = new Image<float>(src.Info);
                    using var fs = new Image<float>(src.Info);
                    WarpAffine.Apply(fsrc, fv, m, options, vectorized: true);
                    WarpAffine.Apply(fsrc, fs, m, options, vectorized: false);
                    Assert.True(fv.Span.SequenceEqual(fs.Span), $"float {h}x{w}x{c} {m}");
                }
    }
}
