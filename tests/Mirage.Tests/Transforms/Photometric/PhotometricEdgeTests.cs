using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Photometric;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Transforms.Photometric;

/// <summary>
/// The photometric transforms beyond their oracles' main cases: gray and RGBA images, the byte routes against the
/// float ones, the draws each option makes (none when it is off), normalize's and rescale's arithmetic and errors.
/// </summary>
public class PhotometricEdgeTests
{
    private static Image<byte> Gray() => Image<byte>.Wrap([0, 17, 200, 255, 90, 33], 2, 3, 1);

    [Fact]
    public void Contrast_of_a_gray_image_matches_torchvision()
    {
        // torchvision 0.14: F.adjust_contrast(uint8 1×2×3 tensor, f), printed by /usr/bin/python3
        foreach (var (factor, expected) in new[] { (0.37, new byte[] { 62, 68, 136, 156, 95, 74 }), (1.8, new byte[] { 0, 0, 255, 255, 82, 0 }) })
        {
            using var src = Gray();
            using var dst = new Image<byte>(src.Info);
            new ColorJitter(new ColorJitterOptions { Contrast = 0.9 }).Apply(new ColorJitterParams(1, 0, 2, 3, 1, factor, 1, 0), src, dst);
            Assert.Equal(expected, dst.Span.ToArray());
        }
    }

    [Fact]
    public void Saturation_and_hue_leave_a_gray_image_alone_and_brightness_does_not()
    {
        using var src = Gray();
        using var dst = new Image<byte>(src.Info);
        var jitter = new ColorJitter(new ColorJitterOptions { Brightness = 0.5, Saturation = 0.5, Hue = 0.3 });
        jitter.Apply(new ColorJitterParams(2, 3, 1, 0, 1, 1, 0.2, 0.25), src, dst);
        Assert.Equal(src.Span.ToArray(), dst.Span.ToArray());
        jitter.Apply(new ColorJitterParams(0, 1, 2, 3, 1.3, 1, 1, 0), src, dst);
        Assert.Equal(new byte[] { 0, 22, 255, 255, 116, 42 }, dst.Span.ToArray()); // torchvision F.adjust_brightness(t, 1.3)
    }

    [Fact]
    public void Color_jitter_needs_one_or_three_channels_except_for_brightness()
    {
        using var rgba = new Image<byte>(2, 2, 4);
        rgba.Span.Fill(100);
        using var dst = new Image<byte>(rgba.Info);
        new ColorJitter(new ColorJitterOptions { Brightness = 0.5 }).Apply(new ColorJitterParams(0, 1, 2, 3, 1.5, 1, 1, 0), rgba, dst);
        Assert.All(dst.Span.ToArray(), v => Assert.Equal(150, v));
        foreach (var o in new[] { new ColorJitterOptions { Contrast = 0.1 }, new ColorJitterOptions { Saturation = 0.1 }, new ColorJitterOptions { Hue = 0.1 } })
        {
            var e = Assert.Throws<ArgumentException>(() => new ColorJitter(o).Apply(new ColorJitterParams(0, 1, 2, 3, 1, 1, 1, 0), rgba, dst));
            Assert.Contains("color_jitter: contrast, saturation and hue need a 1- or 3-channel image", e.Message);
        }
        using var two = new Image<float>(2, 2, 2);
        using var twoDst = new Image<float>(two.Info);
        Assert.Throws<ArgumentException>(() => new ColorJitter(new ColorJitterOptions { Contrast = 0.1 }).Apply(new ColorJitterParams(0, 1, 2, 3, 1, 1, 1, 0), two, twoDst));
    }

    [Fact]
    public void Disabled_adjustments_do_not_run_even_with_factors_in_the_parameters()
    {
        using var src = TorchvisionFixtures.Image(0);
        using var dst = new Image<byte>(src.Info);
        new ColorJitter(new ColorJitterOptions()).Apply(new ColorJitterParams(0, 1, 2, 3, 1.5, 0.5, 0.5, 0.25), src, dst);
        Assert.True(src.Span.SequenceEqual(dst.Span));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Each_enabled_option_draws_after_the_order_and_the_others_draw_nothing(int op)
    {
        var options = new ColorJitterOptions
        {
            Brightness = op == 0 ? 0.4 : 0, Contrast = op == 1 ? 0.4 : 0, Saturation = op == 2 ? 0.4 : 0, Hue = op == 3 ? 0.2 : 0,
        };
        var random = new RandomStream(21);
        var replay = random;
        var p = new ColorJitter(options).Sample(ref random, ImageInfo.Create(2, 2, 3));
        for (int i = 3; i > 0; i--) replay.NextInt(i + 1);
        double v = op == 3 ? replay.Uniform(-0.2, 0.2) : replay.Uniform(0.6, 1.4);
        Assert.Equal(op == 0 ? v : 1, p.Brightness);
        Assert.Equal(op == 1 ? v : 1, p.Contrast);
        Assert.Equal(op == 2 ? v : 1, p.Saturation);
        Assert.Equal(op == 3 ? v : 0, p.Hue);
        Assert.Equal(replay.NextDouble(), random.NextDouble());
    }

    [Fact]
    public void Parameters_index_the_order()
    {
        var p = new ColorJitterParams(3, 1, 0, 2, 1, 1, 1, 0);
        Assert.Equal(new byte[] { 3, 1, 0, 2 }, Enumerable.Range(0, 4).Select(i => p[i]).ToArray());
    }

    [Fact]
    public void Brightness_keeps_alpha_of_rgba_bytes_and_floats()
    {
        var t = new Brightness(new BrightnessOptions { Range = new Interval(2, 2) });
        using var b = Image<byte>.Wrap([10, 20, 200, 77, 1, 2, 3, 250], 1, 2, 4);
        using var bd = new Image<byte>(b.Info);
        t.Apply(new BrightnessParams(2), b, bd);
        Assert.Equal(new byte[] { 20, 40, 255, 77, 2, 4, 6, 250 }, bd.Span.ToArray());
        using var f = Image<float>.Wrap([10.5f, 20, 200, 77.75f, 1, 2, 3, 250.25f], 1, 2, 4);
        using var fd = new Image<float>(f.Info);
        t.Apply(new BrightnessParams(2), f, fd);
        // Pillow's Brightness takes the input to 8 bits first; alpha keeps its 8-bit value
        Assert.Equal(new float[] { 20, 40, 255, 77, 2, 4, 6, 250 }, fd.Span.ToArray());
        using var rgb = Image<byte>.Wrap([10, 20, 200], 1, 1, 3);
        using var rd = new Image<byte>(rgb.Info);
        t.Apply(new BrightnessParams(2), rgb, rd);
        Assert.Equal(new byte[] { 20, 40, 255 }, rd.Span.ToArray());
        using var rgbf = Image<float>.Wrap([10, 20, 200], 1, 1, 3);
        using var rfd = new Image<float>(rgbf.Info);
        t.Apply(new BrightnessParams(0.5), rgbf, rfd);
        Assert.Equal(new float[] { 5, 10, 100 }, rfd.Span.ToArray());
    }

    [Fact]
    public void Brightness_draws_from_its_range()
    {
        var t = new Brightness(new BrightnessOptions { Range = new Interval(0.5, 1.5) });
        double lo = 9, hi = -9;
        for (int i = 0; i < 300; i++)
        {
            var random = RandomStream.For(1, 0, i);
            double f = t.Sample(ref random, ImageInfo.Create(2, 2, 3)).Factor;
            (lo, hi) = (Math.Min(lo, f), Math.Max(hi, f));
        }
        Assert.InRange(lo, 0.5, 0.52);
        Assert.InRange(hi, 1.48, 1.5);
    }

    [Fact]
    public void Channel_shift_clips_to_the_images_own_range_bytes_as_floats_rounded()
    {
        var t = new ChannelShift(new ChannelShiftOptions { Intensity = 50 });
        using var b = Image<byte>.Wrap([30, 60, 90, 120, 150, 180], 1, 2, 3);
        using var f = ImageConvert.ToFloat(b);
        foreach (double shift in new[] { 40.4, -40.6, 12.5, 13.5, 0 })
        {
            using var bd = new Image<byte>(b.Info);
            using var fd = new Image<float>(b.Info);
            t.Apply(new ChannelShiftParams(shift), b, bd);
            t.Apply(new ChannelShiftParams(shift), f, fd);
            for (int i = 0; i < 6; i++)
            {
                float expected = Math.Clamp(b.Span[i] + (float)shift, 30f, 180f); // keras: np.clip(x + intensity, min_x, max_x)
                Assert.Equal(expected, fd.Span[i]);
                Assert.Equal((byte)MathF.Round(expected, MidpointRounding.ToEven), bd.Span[i]);
            }
        }
    }

    [Fact]
    public void Channel_shift_draws_within_plus_minus_intensity_and_nothing_at_zero()
    {
        var t = new ChannelShift(new ChannelShiftOptions { Intensity = 20 });
        double lo = 99, hi = -99;
        for (int i = 0; i < 300; i++)
        {
            var random = RandomStream.For(2, 0, i);
            double s = t.Sample(ref random, ImageInfo.Create(2, 2, 3)).Shift;
            (lo, hi) = (Math.Min(lo, s), Math.Max(hi, s));
        }
        Assert.InRange(lo, -20, -19);
        Assert.InRange(hi, 19, 20);
        var r = new RandomStream(3);
        var before = r;
        Assert.Equal(0, new ChannelShift(new ChannelShiftOptions()).Sample(ref r, ImageInfo.Create(2, 2, 3)).Shift);
        Assert.Equal(before.NextDouble(), r.NextDouble());
    }

    [Theory]
    [InlineData(-0.4f, 0)]
    [InlineData(0.5f, 0)]
    [InlineData(1.5f, 2)]
    [InlineData(2.5f, 2)]
    [InlineData(254.5f, 254)]
    [InlineData(254.6f, 255)]
    [InlineData(300f, 255)]
    [InlineData(-300f, 0)]
    public void Bytes_round_half_to_even_and_saturate(float v, byte expected) => Assert.Equal(expected, PixelMath.ToByte(v));

    [Fact]
    public void Channel_affine_cycles_the_channels()
    {
        double[] scale = [2, 0.5], offset = [1, -1];
        var f = new float[] { 1, 2, 3, 4, 5, 6 };
        PixelMath.ChannelAffine(f, scale, offset);
        Assert.Equal(new float[] { 3, 0, 7, 1, 11, 2 }, f);
        var b = new byte[6];
        PixelMath.ChannelAffine(new byte[] { 1, 2, 3, 4, 200, 6 }, b, scale, offset);
        Assert.Equal(new byte[] { 3, 0, 7, 1, 255, 2 }, b);
    }

    [Fact]
    public void Rescale_multiplies_bytes_and_floats()
    {
        var t = new Rescale(new RescaleOptions { Factor = 0.5 });
        using var b = Image<byte>.Wrap([10, 11, 13, 255], 1, 4, 1);
        using var bd = new Image<byte>(b.Info);
        t.Apply(default, b, bd);
        Assert.Equal(new byte[] { 5, 6, 6, 128 }, bd.Span.ToArray()); // 5.5 → 6, 6.5 → 6, 127.5 → 128 (half to even)
        using var f = Image<float>.Wrap([10, 11, 13, 255], 1, 4, 1);
        using var fd = new Image<float>(f.Info);
        t.Apply(default, f, fd);
        Assert.Equal(new float[] { 5, 5.5f, 6.5f, 127.5f }, fd.Span.ToArray());
        Span<double> s = stackalloc double[2], o = stackalloc double[2];
        o.Fill(9);
        new Rescale(new RescaleOptions()).ScaleOffset(default, s, o);
        Assert.Equal((double)(float)(1.0 / 255), s[0]);
        Assert.Equal((double)(float)(1.0 / 255), s[1]);
        Assert.Equal(0, o[0]);
        Assert.Equal(0, o[1]);
    }

    [Fact]
    public void Normalize_subtracts_the_mean_and_divides_by_std_plus_epsilon_per_channel()
    {
        var t = new Normalize(new NormalizeOptions { Mean = [10, 20], Std = [2, 4], Epsilon = 0.5 });
        using var f = Image<float>.Wrap([10, 20, 15, 40], 1, 2, 2);
        using var fd = new Image<float>(f.Info);
        t.Apply(default, f, fd);
        Assert.Equal(new float[] { 0, 0, 5 / 2.5f, 20 / 4.5f }, fd.Span.ToArray());
        using var b = Image<byte>.Wrap([15, 29, 20, 200], 1, 2, 2);
        using var bd = new Image<byte>(b.Info);
        t.Apply(default, b, bd);
        Assert.Equal(new byte[] { 2, 2, 4, 40 }, bd.Span.ToArray()); // 2, 2, 4, 40 exactly
    }

    [Fact]
    public void Normalize_broadcasts_one_value_to_every_channel()
    {
        var t = new Normalize(new NormalizeOptions { Mean = [10], Std = [2] });
        using var f = Image<float>.Wrap([10, 12, 14, 16, 18, 20], 1, 2, 3);
        using var fd = new Image<float>(f.Info);
        t.Apply(default, f, fd);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, fd.Span.ToArray());
        var t2 = new Normalize(new NormalizeOptions { Mean = [10], Std = [1, 2, 4] });
        t2.Apply(default, f, fd);
        Assert.Equal(new float[] { 0, 1, 1, 6, 4, 2.5f }, fd.Span.ToArray());
        var t3 = new Normalize(new NormalizeOptions { Mean = [0, 2, 4], Std = [2] });
        t3.Apply(default, f, fd);
        Assert.Equal(new float[] { 5, 5, 5, 8, 8, 8 }, fd.Span.ToArray());
    }

    [Fact]
    public void Normalize_scale_offset_and_append_compose_like_apply()
    {
        var t = new Normalize(new NormalizeOptions { Mean = [10, 20], Std = [2, 4], Epsilon = 0.5 });
        Span<double> s = stackalloc double[2], o = stackalloc double[2];
        t.ScaleOffset(default, s, o);
        Assert.Equal(1 / 2.5, s[0], 12);
        Assert.Equal(1 / 4.5, s[1], 12);
        Assert.Equal(-10 / 2.5, o[0], 12);
        Assert.Equal(-20 / 4.5, o[1], 12);
        // appended after x·3 + 1: ((3x + 1) − m) / d
        s.Fill(3);
        o.Fill(1);
        ((IChannelAffineTransform<NoParams>)t).AppendTo(default, s, o);
        Assert.Equal(3 / 2.5, s[0], 12);
        Assert.Equal(3 / 4.5, s[1], 12);
        Assert.Equal((1 - 10) / 2.5, o[0], 12);
        Assert.Equal((1 - 20) / 4.5, o[1], 12);
    }

    [Fact]
    public void Normalize_errors_name_the_problem()
    {
        Assert.Contains("need at least one value", Assert.Throws<ArgumentException>(() => new NormalizeOptions { Mean = [] }.Create()).Message);
        Assert.Contains("need at least one value", Assert.Throws<ArgumentException>(() => new NormalizeOptions { Std = [] }.Create()).Message);
        Assert.Contains("normalize: option 'std' holds 0 at 1; std + epsilon must be above 0.",
            Assert.Throws<ArgumentException>(() => new NormalizeOptions { Std = [1, 0] }.Create()).Message);
        Assert.NotNull(new NormalizeOptions { Std = [1, 0], Epsilon = 1e-6 }.Create());
        var t = new Normalize(new NormalizeOptions { Mean = [1, 2], Std = [1] });
        using var f = new Image<float>(1, 1, 3);
        using var fd = new Image<float>(f.Info);
        Assert.Contains("normalize: 'mean' has 2 and 'std' 1 values, but the image has 3 channels",
            Assert.Throws<ArgumentException>(() => t.Apply(default, f, fd)).Message);
        var t2 = new Normalize(new NormalizeOptions { Mean = [1], Std = [1, 2] });
        Assert.Throws<ArgumentException>(() => t2.Apply(default, f, fd));
    }

    [Fact]
    public void Parameterless_transforms_draw_nothing()
    {
        var r = new RandomStream(3);
        var before = r;
        new Rescale(new RescaleOptions()).Sample(ref r, ImageInfo.Create(2, 2, 3));
        new Normalize(new NormalizeOptions()).Sample(ref r, ImageInfo.Create(2, 2, 3));
        Assert.Equal(before.NextDouble(), r.NextDouble());
    }

    [Fact]
    public void All_four_positions_of_the_order_run()
    {
        // saturation and hue off: order (2, 1, 0, 3) must run contrast, then brightness (each torchvision-exact alone)
        using var src = TorchvisionFixtures.Image(0);
        var jitter = new ColorJitter(new ColorJitterOptions { Brightness = 0.5, Contrast = 0.5 });
        using var expected = new Image<byte>(src.Info);
        using var mid = new Image<byte>(src.Info);
        jitter.Apply(new ColorJitterParams(1, 0, 2, 3, 1, 0.7, 1, 0), src, mid);
        jitter.Apply(new ColorJitterParams(0, 1, 2, 3, 1.2, 1, 1, 0), mid, expected);
        using var actual = new Image<byte>(src.Info);
        jitter.Apply(new ColorJitterParams(2, 1, 0, 3, 1.2, 0.7, 1, 0), src, actual);
        Assert.Equal(expected.Span.ToArray(), actual.Span.ToArray());
        Assert.False(src.Span.SequenceEqual(actual.Span));
    }

    [Fact]
    public void Brightness_of_rgb_bytes_scales_every_value()
    {
        // Pillow's Brightness on 8 bits: trunc(x · f), clipped (PointOps, Keras-checked); no value skipped for RGB
        var t = new Brightness(new BrightnessOptions { Range = new Interval(2, 2) });
        using var b = Image<byte>.Wrap([10, 20, 30, 40, 50, 60, 70, 200, 1], 3, 1, 3);
        using var d = new Image<byte>(b.Info);
        t.Apply(new BrightnessParams(2), b, d);
        Assert.Equal(new byte[] { 20, 40, 60, 80, 100, 120, 140, 255, 2 }, d.Span.ToArray());
    }
}
