using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Geometric;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Transforms.Geometric;

/// <summary>
/// The geometric transforms' draws and matrices: a zero range draws nothing (so the next step's draws are those of a
/// pipeline without it, as in Keras's get_random_transform), flips at p = 0 and 1, the matrices of flips and the warp
/// settings, and random_resized_crop's ten tries (torchvision's get_params) before the centre fallback.
/// </summary>
public class GeometricSamplingTests
{
    private static readonly ImageInfo Info = ImageInfo.Create(30, 40, 3);

    private static ShiftParams ShiftAfter(params TransformOptions[] before)
    {
        var pipeline = new TransformPipeline([.. before, new ShiftOptions { Height = 0.3, Width = 0.3 }]);
        var random = new RandomStream(5);
        var tape = pipeline.Sample(ref random, Info);
        return tape.ParametersAt<ShiftParams>(tape.Count - 1);
    }

    [Fact]
    public void Zero_ranges_draw_nothing()
    {
        var alone = ShiftAfter();
        Assert.Equal(alone, ShiftAfter(new RotateOptions()));
        Assert.Equal(alone, ShiftAfter(new ShearOptions()));
        Assert.Equal(alone, ShiftAfter(new ZoomOptions()));
        Assert.Equal(alone, ShiftAfter(new ShiftOptions()));
        Assert.NotEqual(alone, ShiftAfter(new RotateOptions { Degrees = 1 }));
        Assert.NotEqual(alone, ShiftAfter(new ShearOptions { Degrees = 1 }));
        Assert.NotEqual(alone, ShiftAfter(new ZoomOptions { Range = new Interval(1, 1.1) }));
    }

    [Fact]
    public void Zero_ranges_give_the_identity_parameters()
    {
        var random = new RandomStream(1);
        Assert.Equal(new RotateParams(0), new Rotate(new RotateOptions()).Sample(ref random, Info));
        Assert.Equal(new ShearParams(0), new Shear(new ShearOptions()).Sample(ref random, Info));
        Assert.Equal(new ZoomParams(1, 1), new Zoom(new ZoomOptions()).Sample(ref random, Info));
        Assert.Equal(new ShiftParams(0, 0), new Shift(new ShiftOptions()).Sample(ref random, Info));
    }

    [Theory]
    [InlineData(1.0, 2.0)]
    [InlineData(0.5, 1.0)]
    public void Zoom_ranges_touching_one_still_draw_both_axes(double low, double high)
    {
        var zoom = new Zoom(new ZoomOptions { Range = new Interval(low, high) });
        bool rowsMoved = false, colsMoved = false, differ = false;
        for (int i = 0; i < 50; i++)
        {
            var random = RandomStream.For(3, 0, i);
            var p = zoom.Sample(ref random, Info);
            Assert.InRange(p.Rows, low, high);
            Assert.InRange(p.Cols, low, high);
            rowsMoved |= p.Rows != 1;
            colsMoved |= p.Cols != 1;
            differ |= p.Rows != p.Cols;
        }
        Assert.True(rowsMoved && colsMoved && differ);
    }

    [Fact]
    public void Rotation_and_shear_cover_both_signs()
    {
        var rotate = new Rotate(new RotateOptions { Degrees = 10 });
        var shear = new Shear(new ShearOptions { Degrees = 10 });
        double rMin = 99, rMax = -99, sMin = 99, sMax = -99;
        for (int i = 0; i < 200; i++)
        {
            var random = RandomStream.For(8, 0, i);
            var r = rotate.Sample(ref random, Info).Degrees;
            var s = shear.Sample(ref random, Info).Degrees;
            (rMin, rMax, sMin, sMax) = (Math.Min(rMin, r), Math.Max(rMax, r), Math.Min(sMin, s), Math.Max(sMax, s));
        }
        Assert.InRange(rMin, -10, -9);
        Assert.InRange(rMax, 9, 10);
        Assert.InRange(sMin, -10, -9);
        Assert.InRange(sMax, 9, 10);
    }

    [Fact]
    public void Flips_at_zero_and_one()
    {
        var never = new HorizontalFlip(new HorizontalFlipOptions { P = 0 });
        var always = new VerticalFlip(new VerticalFlipOptions { P = 1 });
        for (int i = 0; i < 200; i++)
        {
            var random = RandomStream.For(9, 0, i);
            Assert.False(never.Sample(ref random, Info).Flip);
            Assert.True(always.Sample(ref random, Info).Flip);
        }
    }

    [Fact]
    public void Flip_matrices_map_pixels_to_their_mirror()
    {
        var h = new HorizontalFlip(new HorizontalFlipOptions());
        var v = new VerticalFlip(new VerticalFlipOptions());
        Assert.Equal((5.0, 39 - 7.0), h.Matrix(new FlipParams(true), Info, Info).Map(5, 7));
        Assert.Equal((29 - 5.0, 7.0), v.Matrix(new FlipParams(true), Info, Info).Map(5, 7));
        Assert.True(h.Matrix(new FlipParams(false), Info, Info).IsIdentity);
        Assert.True(v.Matrix(new FlipParams(false), Info, Info).IsIdentity);
        Span<Keypoint> k = [new(2, 3)];
        v.ApplyToKeypoints(new FlipParams(true), Info, k);
        Assert.Equal(new Keypoint(27, 3), k[0]);
    }

    [Fact]
    public void Flip_apply_mirrors_or_copies_bytes_and_floats()
    {
        using var src = Pipelines.ParameterTapeTests.Photo(5, 6);
        using var f = ImageConvert.ToFloat(src);
        foreach (var flip in new ITransform<FlipParams>[] { new HorizontalFlip(new HorizontalFlipOptions()), new VerticalFlip(new VerticalFlipOptions()) })
        {
            bool horizontal = flip is HorizontalFlip;
            using var b = new Image<byte>(src.Info);
            using var fl = new Image<float>(src.Info);
            flip.Apply(new FlipParams(true), src, b);
            flip.Apply(new FlipParams(true), f, fl);
            for (int r = 0; r < 5; r++)
                for (int c = 0; c < 6; c++)
                    for (int ch = 0; ch < 3; ch++)
                    {
                        byte expected = horizontal ? src[r, 5 - c, ch] : src[4 - r, c, ch];
                        Assert.Equal(expected, b[r, c, ch]);
                        Assert.Equal(expected, fl[r, c, ch]);
                    }
            flip.Apply(new FlipParams(false), src, b);
            flip.Apply(new FlipParams(false), f, fl);
            Assert.True(src.Span.SequenceEqual(b.Span));
            Assert.True(f.Span.SequenceEqual(fl.Span));
        }
    }

    [Fact]
    public void Warp_settings_come_from_the_options()
    {
        var o = new RotateOptions { Interpolation = Interpolation.Nearest, FillMode = FillMode.Reflect, Cval = 7.5, Centre = CentreConvention.Keras };
        Assert.Equal(new WarpOptions(Interpolation.Nearest, FillMode.Reflect, 7.5f, true), o.Warp);
        Assert.Equal(new WarpOptions(Interpolation.Bilinear, FillMode.Nearest, 0f, false), new ZoomOptions().Warp);
        Assert.Equal(o.Warp, new Rotate(o).Warp);
    }

    [Fact]
    public void Keras_centre_moves_the_rotation_centre()
    {
        var p = new RotateParams(90);
        var info = ImageInfo.Create(10, 10, 1);
        var pixel = new Rotate(new RotateOptions()).Matrix(p, info, info);
        var keras = new Rotate(new RotateOptions { Centre = CentreConvention.Keras }).Matrix(p, info, info);
        Assert.Equal(AffineMatrix.AboutCentre(AffineMatrix.Rotation(90), 10, 10, CentreConvention.PixelCentre), pixel);
        Assert.Equal(AffineMatrix.AboutCentre(AffineMatrix.Rotation(90), 10, 10, CentreConvention.Keras), keras);
        Assert.NotEqual(pixel, keras);
    }

    [Fact]
    public void Warps_of_the_identity_copy_and_others_warp()
    {
        using var src = Pipelines.ParameterTapeTests.Photo(9, 11);
        using var f = ImageConvert.ToFloat(src);
        var rotate = new Rotate(new RotateOptions { FillMode = FillMode.Constant, Cval = 3 });
        using var b = new Image<byte>(src.Info);
        using var fl = new Image<float>(src.Info);
        rotate.Apply(new RotateParams(0), src, b);
        rotate.Apply(new RotateParams(0), f, fl);
        Assert.True(src.Span.SequenceEqual(b.Span));
        Assert.True(f.Span.SequenceEqual(fl.Span));
        var m = rotate.Matrix(new RotateParams(30), src.Info, src.Info);
        using var eb = new Image<byte>(src.Info);
        using var ef = new Image<float>(src.Info);
        WarpAffine.Apply(src, eb, m, rotate.Warp);
        WarpAffine.Apply(f, ef, m, rotate.Warp);
        rotate.Apply(new RotateParams(30), src, b);
        rotate.Apply(new RotateParams(30), f, fl);
        Assert.True(eb.Span.SequenceEqual(b.Span));
        Assert.True(ef.Span.SequenceEqual(fl.Span));
        Assert.False(src.Span.SequenceEqual(b.Span));
    }

    [Fact]
    public void Random_resized_crop_makes_ten_tries_then_falls_back()
    {
        // every try fails (scale 1 with ratios the image does not have): 10 tries × 2 draws, then nothing more
        var t = new RandomResizedCrop(new RandomResizedCropOptions { Scale = new Interval(1, 1), Ratio = new Interval(2, 3) });
        for (ulong seed = 0; seed < 10; seed++)
        {
            var random = new RandomStream(seed);
            var expected = random;
            t.Sample(ref random, ImageInfo.Create(100, 100, 3));
            for (int k = 0; k < 20; k++) expected.NextDouble();
            Assert.Equal(expected.NextDouble(), random.NextDouble());
        }
    }

    [Fact]
    public void Random_resized_crop_takes_the_first_crop_that_fits()
    {
        // scale [0.25, 0.25], ratio 1 on 20 × 20: 10 × 10 at the first try; then top and left
        var t = new RandomResizedCrop(new RandomResizedCropOptions { Scale = new Interval(0.25, 0.25), Ratio = new Interval(1, 1) });
        var random = new RandomStream(3);
        var replay = random;
        var p = t.Sample(ref random, ImageInfo.Create(20, 20, 1));
        replay.NextDouble();
        replay.NextDouble();
        int top = replay.NextInt(11), left = replay.NextInt(11);
        Assert.Equal(new CropParams(top, left, 10, 10), p);
        Assert.Equal(replay.NextDouble(), random.NextDouble());
    }

    [Fact]
    public void Random_resized_crop_accepts_a_crop_of_the_whole_image()
    {
        var t = new RandomResizedCrop(new RandomResizedCropOptions { Scale = new Interval(1, 1), Ratio = new Interval(1, 1) });
        var random = new RandomStream(4);
        Assert.Equal(new CropParams(0, 0, 12, 12), t.Sample(ref random, ImageInfo.Create(12, 12, 1)));
        // Accepted at the first try (w == width, h == height are inside torchvision's bounds), not via the fallback:
        // exactly two uniforms and two position draws were consumed.
        var replay = new RandomStream(4);
        replay.Uniform(1, 1);
        replay.Uniform(0, 0);
        replay.NextInt(1);
        replay.NextInt(1);
        Assert.Equal(replay.NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void Random_resized_crop_defaults_are_torchvisions()
    {
        var o = new RandomResizedCropOptions();
        Assert.Equal(new Size(224, 224), o.Size);
        Assert.Equal(new Interval(0.08, 1.0), o.Scale);
        Assert.Equal(new Interval(3.0 / 4.0, 4.0 / 3.0), o.Ratio);
        Assert.True(o.Antialias);
    }

    [Theory]
    [InlineData(10, 40, 1.0, 1.0, 0, 15, 10, 10)]   // wide image, square ratio: full height, centred columns
    [InlineData(40, 10, 1.0, 1.0, 15, 0, 10, 10)]   // tall image
    [InlineData(11, 11, 2.0, 2.0, 2, 0, 6, 11)]     // h = round(5.5) = 6, top = 5 / 2
    [InlineData(13, 13, 2.0, 2.0, 3, 0, 6, 13)]     // h = round(6.5) = 6 (half to even, as Python's round)
    [InlineData(5, 30, 1.0, 2.5, 0, 9, 5, 12)]      // w = round(12.5) = 12
    public void Centre_crop_rounds_half_to_even_and_centres(int h, int w, double low, double high, int top, int left, int ch, int cw) =>
        Assert.Equal(new CropParams(top, left, ch, cw), RandomResizedCrop.CentreCrop(h, w, new Interval(low, high)));

    [Fact]
    public void Random_resized_crop_output_shape_keeps_channels()
    {
        var t = new RandomResizedCrop(new RandomResizedCropOptions { Size = new Size(7, 9) });
        Assert.Equal(ImageInfo.Create(7, 9, 4), t.OutputInfo(new CropParams(0, 0, 3, 3), ImageInfo.Create(20, 20, 4)));
        Assert.False(t.WarpsExactly(new CropParams(0, 0, 3, 3)));
    }

    [Fact]
    public void Nearest_resized_crops_copy_pixels_of_the_crop()
    {
        using var src = Pipelines.ParameterTapeTests.Photo(30, 40);
        var p = new CropParams(5, 7, 13, 17);
        foreach (bool antialias in new[] { true, false })
        {
            var t = new RandomResizedCrop(new RandomResizedCropOptions { Size = new Size(23, 29), Interpolation = Interpolation.Nearest, Antialias = antialias });
            using var dst = new Image<byte>(t.OutputInfo(p, src.Info));
            t.Apply(p, src, dst);
            var pixels = new HashSet<(byte, byte, byte)>();
            for (int r = p.Top; r < p.Top + p.Height; r++)
                for (int c = p.Left; c < p.Left + p.Width; c++)
                    pixels.Add((src[r, c, 0], src[r, c, 1], src[r, c, 2]));
            for (int r = 0; r < 23; r++)
                for (int c = 0; c < 29; c++)
                    Assert.Contains((dst[r, c, 0], dst[r, c, 1], dst[r, c, 2]), pixels);
        }
    }

    [Fact]
    public void Float_resized_crop_is_the_byte_warp_within_one_level()
    {
        using var src = Pipelines.ParameterTapeTests.Photo(30, 40);
        using var f = ImageConvert.ToFloat(src);
        var p = new CropParams(5, 7, 13, 17);
        var t = new RandomResizedCrop(new RandomResizedCropOptions { Size = new Size(23, 29), Antialias = false });
        using var b = new Image<byte>(t.OutputInfo(p, src.Info));
        using var fl = new Image<float>(t.OutputInfo(p, src.Info));
        t.Apply(p, src, b);
        t.Apply(p, f, fl);
        for (int i = 0; i < b.Length; i++) Assert.InRange(fl.Span[i] - b.Span[i], -1f, 1f);
    }
}
