using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Tests.Transforms.Pipelines;
using Mirage.Transforms;
using Mirage.Transforms.Geometric;
using Mirage.Transforms.Photometric;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Transforms;

/// <summary>
/// The base class every transform shares: masks, boxes and keypoints follow the geometric matrix (or stay, for a
/// photometric step, or fail naming the fix), the tape entry it appends, and how it describes itself to the planner.
/// </summary>
public class TransformBaseTests
{
    private static readonly ImageInfo Square = ImageInfo.Create(10, 10, 1);

    [Fact]
    public void Options_are_required() =>
        Assert.Throws<ArgumentNullException>(() => new Rotate(null!));

    [Fact]
    public void A_mask_is_warped_nearest_with_fill_zero()
    {
        var rotate = new Rotate(new RotateOptions { Interpolation = Interpolation.Bilinear, FillMode = FillMode.Nearest });
        using var mask = new Image<byte>(Square);
        for (int c = 0; c < 10; c++) mask[2, c, 0] = 9; // a row of label 9
        for (int r = 0; r < 10; r++) mask[r, 0, 0] = 5;  // and a column of label 5
        var p = new RotateParams(30);
        using var moved = new Image<byte>(Square);
        rotate.ApplyToMask(p, mask, moved);
        using var expected = new Image<byte>(Square);
        WarpAffine.Apply(mask, expected, rotate.Matrix(p, Square, Square), new WarpOptions(Interpolation.Nearest, FillMode.Constant));
        Assert.Equal(expected.Span.ToArray(), moved.Span.ToArray());
        Assert.All(moved.Span.ToArray(), v => Assert.Contains(v, new byte[] { 0, 5, 9 }));
        Assert.Contains((byte)0, moved.Span.ToArray()); // the corners come from outside: fill 0, not the nearest edge
    }

    [Fact]
    public void A_photometric_step_copies_the_mask_and_leaves_points()
    {
        using var mask = new Image<byte>(Square);
        mask[3, 4, 0] = 2;
        using var dst = new Image<byte>(Square);
        dst.Span.Fill(7);
        var b = new Brightness(new BrightnessOptions { Range = new Interval(0.5, 0.5) });
        b.ApplyToMask(new BrightnessParams(0.5), mask, dst);
        Assert.Equal(mask.Span.ToArray(), dst.Span.ToArray());
        Span<BoundingBox> boxes = [new(1, 2, 3, 4)];
        b.ApplyToBoxes(new BrightnessParams(0.5), Square, boxes);
        Assert.Equal(new BoundingBox(1, 2, 3, 4), boxes[0]);
        Span<Keypoint> points = [new(1, 2)];
        b.ApplyToKeypoints(new BrightnessParams(0.5), Square, points);
        Assert.Equal(new Keypoint(1, 2), points[0]);
    }

    [Fact]
    public void A_transform_that_declares_nothing_says_how_to_fix_it()
    {
        var invert = new Invert(new InvertOptions());
        using var mask = new Image<byte>(Square);
        using var dst = new Image<byte>(Square);
        var e = Assert.Throws<NotSupportedException>(() => invert.ApplyToMask(default, mask, dst));
        Assert.Equal("invert does not say how it changes masks: implement IGeometricTransform (its matrix moves masks) or " +
                     "IPhotometricTransform (it leaves them alone), or override ApplyToMasks.", e.Message);
        var boxes = new BoundingBox[1];
        e = Assert.Throws<NotSupportedException>(() => invert.ApplyToBoxes(default, Square, boxes));
        Assert.EndsWith("or override ApplyToBoxes.", e.Message);
        var points = new Keypoint[1];
        e = Assert.Throws<NotSupportedException>(() => invert.ApplyToKeypoints(default, Square, points));
        Assert.EndsWith("or override ApplyToKeypoints.", e.Message);
    }

    [Fact]
    public void Boxes_become_the_bounds_of_their_moved_corners()
    {
        var rotate = new Rotate(new RotateOptions());
        var info = ImageInfo.Create(40, 50, 3);
        foreach (double degrees in new[] { 30.0, -30, 120, -120 })
        {
            var p = new RotateParams(degrees);
            var forward = rotate.Matrix(p, info, info).Inverse();
            var box = new BoundingBox(5, 7, 20, 31);
            var corners = new[] { forward.Map(5, 7), forward.Map(5, 31), forward.Map(20, 7), forward.Map(20, 31) };
            Span<BoundingBox> boxes = [box];
            rotate.ApplyToBoxes(p, info, boxes);
            Assert.Equal(corners.Min(k => k.Item1), boxes[0].Top, 9);
            Assert.Equal(corners.Min(k => k.Item2), boxes[0].Left, 9);
            Assert.Equal(corners.Max(k => k.Item1), boxes[0].Bottom, 9);
            Assert.Equal(corners.Max(k => k.Item2), boxes[0].Right, 9);
            Span<Keypoint> points = [new(5, 7), new(20, 31)];
            rotate.ApplyToKeypoints(p, info, points);
            Assert.Equal(corners[0].Item1, points[0].Row, 9);
            Assert.Equal(corners[0].Item2, points[0].Col, 9);
            Assert.Equal(corners[3].Item1, points[1].Row, 9);
            Assert.Equal(corners[3].Item2, points[1].Col, 9);
        }
    }

    [Fact]
    public void A_quarter_turn_moves_a_point_to_its_rotated_place()
    {
        // a 90° turn about the pixel centre (4.5, 4.5) of a 10 × 10 image: the matrix maps output to input; the point moves the other way
        var rotate = new Rotate(new RotateOptions());
        var m = rotate.Matrix(new RotateParams(90), Square, Square);
        Span<Keypoint> k = [new(1, 2)];
        rotate.ApplyToKeypoints(new RotateParams(90), Square, k);
        var back = m.Map(k[0].Row, k[0].Col);
        Assert.Equal(1, back.Item1, 9);
        Assert.Equal(2, back.Item2, 9);
        Assert.NotEqual(1, k[0].Row, 3);
    }

    [Fact]
    public void Sampling_onto_a_tape_records_the_shapes_and_advances_the_shape()
    {
        var crop = new RandomResizedCrop(new RandomResizedCropOptions { Size = new Size(4, 5) });
        var tape = new ParameterTape();
        var info = ImageInfo.Create(20, 30, 3);
        tape.Clear(info);
        var shape = info;
        var random = new RandomStream(1);
        var replay = random;
        crop.Sample(ref random, ref shape, tape);
        Assert.Equal(ImageInfo.Create(4, 5, 3), shape);
        Assert.Equal(info, tape[0].Input);
        Assert.Equal(ImageInfo.Create(4, 5, 3), tape[0].Output);
        Assert.Equal(crop.Sample(ref replay, info), tape.ParametersAt<CropParams>(0));
        Assert.Equal(System.Runtime.CompilerServices.Unsafe.SizeOf<CropParams>(), ((ITapeTransform)crop).ParameterSize);
    }

    private static StepKind Describe<TParams>(ITransform<TParams> t, TParams p, ImageInfo info, out WarpStep warp) where TParams : unmanaged
    {
        var bytes = new byte[System.Runtime.CompilerServices.Unsafe.SizeOf<TParams>()];
        System.Runtime.InteropServices.MemoryMarshal.Write(bytes, in p);
        return ((ITapeTransform)t).Describe(bytes, info, info, out warp);
    }

    [Fact]
    public void Transforms_describe_themselves_to_the_planner()
    {
        var info = ImageInfo.Create(8, 12, 3);
        var rotate = new Rotate(new RotateOptions { Centre = CentreConvention.Keras, Interpolation = Interpolation.Nearest });
        Assert.Equal(StepKind.Warp, Describe(rotate, new RotateParams(20), info, out var w));
        Assert.True(w.Centred);
        Assert.Equal(AffineMatrix.Rotation(20), w.Linear);
        Assert.Equal(CentreConvention.Keras, w.Centre);
        Assert.Equal(rotate.Matrix(new RotateParams(20), info, info), w.Matrix);
        Assert.Equal(rotate.Warp, w.Options);

        var flip = new HorizontalFlip(new HorizontalFlipOptions());
        Assert.Equal(StepKind.Warp, Describe(flip, new FlipParams(true), info, out w));
        Assert.False(w.Centred);
        Assert.Equal(flip.Matrix(new FlipParams(true), info, info), w.Matrix);

        var crop = new RandomResizedCrop(new RandomResizedCropOptions());
        Assert.Equal(StepKind.Other, Describe(crop, new CropParams(0, 0, 4, 4), info, out w));
        Assert.Equal(default(AffineMatrix), w.Matrix);
        Assert.Equal(StepKind.ChannelAffine, Describe(new Rescale(new RescaleOptions()), default(NoParams), info, out _));
        Assert.Equal(StepKind.ChannelAffine, Describe(new Normalize(new NormalizeOptions()), default(NoParams), info, out _));
        Assert.Equal(StepKind.Other, Describe(new Brightness(new BrightnessOptions()), new BrightnessParams(1), info, out _));
    }

    [Fact]
    public void Parameters_round_trip_through_the_tape_json()
    {
        ITapeTransform t = new ColorJitter(new ColorJitterOptions { Hue = 0.1 });
        var p = new ColorJitterParams(3, 2, 1, 0, 1.25, 0.5, 0.75, -0.05);
        var bytes = new byte[t.ParameterSize];
        System.Runtime.InteropServices.MemoryMarshal.Write(bytes, in p);
        var json = t.ParametersToJson(bytes);
        Assert.Equal(3, json.GetProperty("first").GetInt32());
        Assert.Equal(-0.05, json.GetProperty("hue").GetDouble());
        var back = new byte[t.ParameterSize];
        t.ParametersFromJson(json, back);
        Assert.Equal(bytes, back);
    }
    [Fact]
    public void A_user_geometric_transform_warps_exactly_by_default()
    {
        var info = ImageInfo.Create(8, 12, 3);
        var skew = new Skew(new SkewOptions());
        Assert.Equal(StepKind.Warp, Describe(skew, new SkewParams(0.1), info, out var w));
        Assert.Equal(skew.Matrix(new SkewParams(0.1), info, info), w.Matrix);
        Assert.False(w.Centred);
    }

    [Fact]
    public void The_default_append_composes_scale_then_offset_per_channel()
    {
        // x -> x·s + o, then rescale by 0.5: x -> x·(s·0.5) + o·0.5
        var t = (IChannelAffineTransform<NoParams>)new Rescale(new RescaleOptions { Factor = 0.5 });
        Span<double> s = [3, 4, 5], o = [1, -2, 6];
        t.AppendTo(default, s, o);
        Assert.Equal([1.5, 2, 2.5], s.ToArray());
        Assert.Equal([0.5, -1, 3], o.ToArray());
    }
}
