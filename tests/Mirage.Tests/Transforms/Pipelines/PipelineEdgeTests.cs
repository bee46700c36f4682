using System.Text.Json;
using Mirage.Generation;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Composition;
using Mirage.Transforms.Geometric;
using Mirage.Transforms.Photometric;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Transforms.Pipelines;

/// <summary>
/// The pipeline's edges: argument and shape checks with their messages, long tapes (growth past the first buffers),
/// recorded-parameter JSON errors, precision in the tape, the plan, grid permutations and when warps fuse.
/// </summary>
public class PipelineEdgeTests
{
    private static readonly ImageInfo Info = ImageInfo.Create(12, 14, 3);

    [Fact]
    public void A_pipeline_needs_options_and_names_its_steps()
    {
        Assert.Throws<ArgumentNullException>(() => new TransformPipeline((SequentialOptions)null!));
        var p = new TransformPipeline(new RotateOptions { Degrees = 3 }, new HorizontalFlipOptions());
        Assert.Equal("rotate, horizontal_flip", p.ToString());
        Assert.Equal("sequential", p.Root.Name);
        Assert.Equal(PipelinePrecision.Bytes, p.Precision);
    }

    [Fact]
    public void Apply_samples_then_runs_on_the_given_tape()
    {
        var p = new TransformPipeline(new RotateOptions { Degrees = 30 }, new ChannelShiftOptions { Intensity = 30 });
        using var src = ParameterTapeTests.Photo(12, 14);
        var r1 = new RandomStream(5);
        var r2 = r1;
        var tape = new ParameterTape();
        using var a = p.Apply(src, ref r1, tape);
        Assert.Equal(2, tape.Count);
        using var b = TransformPipeline.Run(p.Sample(ref r2, src.Info), src);
        Assert.True(a.Span.SequenceEqual(b.Span));
        Assert.Equal(r2.NextDouble(), r1.NextDouble());
    }

    [Fact]
    public void Sampling_carries_the_precision_into_the_tape_and_clears_it()
    {
        var p = new TransformPipeline(new RotateOptions { Degrees = 30 }) { Precision = PipelinePrecision.Float };
        var random = new RandomStream(1);
        var tape = new ParameterTape();
        new TransformPipeline(new HorizontalFlipOptions(), new VerticalFlipOptions()).Sample(ref random, Info, tape);
        Assert.Equal(2, tape.Count);
        p.Sample(ref random, ImageInfo.Create(5, 6, 1), tape);
        Assert.Equal(1, tape.Count);
        Assert.Equal(ImageInfo.Create(5, 6, 1), tape.Input);
        Assert.Equal(PipelinePrecision.Float, tape.Precision);
        Assert.Equal("rotate", tape.NameAt(0));
    }

    [Fact]
    public void Runs_check_the_shapes()
    {
        var p = new TransformPipeline(new RandomResizedCropOptions { Size = new Size(6, 7) });
        var random = new RandomStream(1);
        var tape = p.Sample(ref random, Info);
        using var src = new Image<byte>(Info);
        using var wrongDst = new Image<byte>(Info);
        var e = Assert.Throws<ArgumentException>(() => TransformPipeline.Run(tape, src, wrongDst));
        Assert.Equal("The pipeline writes a 6x7x3 output but the destination is 12x14x3. (Parameter 'dst')", e.Message);
        using var fsrc = new Image<float>(Info);
        using var fdst = new Image<float>(Info);
        Assert.Throws<ArgumentException>(() => TransformPipeline.Run(tape, fsrc, fdst));
        using var fwrong = new Image<float>(11, 14, 3);
        using var fok = new Image<float>(6, 7, 3);
        e = Assert.Throws<ArgumentException>(() => TransformPipeline.Run(tape, fwrong, fok));
        Assert.Equal("src", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => TransformPipeline.Run(tape, src, new float[6 * 7 * 3 - 1], DataFormat.ChannelsLast));
        Assert.Equal("The destination holds 125 values but the pipeline's 6x7x3 output needs 126. (Parameter 'dst')", e.Message);
        TransformPipeline.Run(tape, src, new float[6 * 7 * 3], DataFormat.ChannelsLast);
        TransformPipeline.Run(tape, src, new float[6 * 7 * 3 + 5], DataFormat.ChannelsLast);
    }

    [Fact]
    public void Long_tapes_grow_and_keep_every_entry()
    {
        var steps = Enumerable.Range(0, 40).Select(i => (TransformOptions)new ShiftOptions { Height = i + 1 }).ToArray();
        var p = new TransformPipeline(steps);
        var random = new RandomStream(2);
        var tape = p.Sample(ref random, Info);
        Assert.Equal(40, tape.Count);
        var replay = new RandomStream(2);
        for (int i = 0; i < 40; i++)
        {
            var expected = new Shift(new ShiftOptions { Height = i + 1 }).Sample(ref replay, Info);
            Assert.Equal(expected, tape.ParametersAt<ShiftParams>(i));
            Assert.Equal(i + 1, ((ShiftOptions)tape[i].Transform.Options).Height);
        }
        var again = ParameterTape.FromJson(tape.ToJson());
        Assert.Equal(tape.ToJson(), again.ToJson());
    }

    [Fact]
    public void A_transform_applied_twice_is_recorded_twice()
    {
        var p = new TransformPipeline(new SomeOfOptions { Transforms = [new RotateOptions { Degrees = 30 }], N = 3, Replace = true });
        var random = new RandomStream(2);
        var tape = p.Sample(ref random, Info);
        Assert.Equal(3, tape.Count);
        Assert.NotEqual(tape.ParametersAt<RotateParams>(0), tape.ParametersAt<RotateParams>(1));
        Assert.Same(tape[0].Transform, tape[2].Transform);
    }

    [Fact]
    public void Entries_out_of_range_and_of_another_type_are_refused()
    {
        var p = new TransformPipeline(new RotateOptions { Degrees = 3 });
        var random = new RandomStream(2);
        var tape = p.Sample(ref random, Info);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => tape.NameAt(1));
        Assert.Contains("The tape holds 1 entries.", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => tape.NameAt(-1));
        Assert.Equal("Step 0 is rotate, whose parameters are not FlipParams.",
            Assert.Throws<InvalidOperationException>(() => tape.ParametersAt<FlipParams>(0)).Message);
        var blank = new ParameterTape();
        blank.Clear(Info);
        Assert.Equal(Info, blank.Output);
    }

    [Fact]
    public void Precision_round_trips_through_json_and_bytes_is_left_out()
    {
        var random = new RandomStream(2);
        var bytes = new TransformPipeline(new RotateOptions { Degrees = 3 }).Sample(ref random, Info);
        Assert.DoesNotContain("precision", bytes.ToJson());
        foreach (var (precision, name) in new[] { (PipelinePrecision.Float, "float"), (PipelinePrecision.FloatWithFusedWarps, "float_with_fused_warps") })
        {
            var t = new TransformPipeline(new RotateOptions { Degrees = 3 }) { Precision = precision }.Sample(ref random, Info);
            string json = t.ToJson();
            Assert.StartsWith($"{{\"precision\":\"{name}\",\"input\":[12,14,3],\"transforms\":[{{\"name\":\"rotate\",\"options\":{{", json);
            Assert.Equal(precision, ParameterTape.FromJson(json).Precision);
        }
        var e = Assert.Throws<FormatException>(() => ParameterTape.FromJson("""{"precision": "double", "input": [4, 4, 3], "transforms": []}""", source: "t.json"));
        Assert.Equal("t.json: \"precision\" must be one of \"bytes\", \"float\", \"float_with_fused_warps\"; got \"double\".", e.Message);
        Assert.Throws<FormatException>(() => ParameterTape.FromJson("""{"precision": 1, "input": [4, 4, 3], "transforms": []}"""));
        Assert.Equal(PipelinePrecision.Bytes, ParameterTape.FromJson("""{"precision": "bytes", "input": [4, 4, 3], "transforms": []}""").Precision);
    }

    [Theory]
    [InlineData("[1]", "t.json: expected recorded parameters {\"input\": [h, w, c], \"transforms\": [...]}.")]
    [InlineData("{\"input\": [4, 4, 3]}", "t.json: expected recorded parameters {\"input\": [h, w, c], \"transforms\": [...]}.")]
    [InlineData("{\"input\": [4, 4, 3], \"transforms\": {}}", "t.json: expected recorded parameters {\"input\": [h, w, c], \"transforms\": [...]}.")]
    [InlineData("{\"input\": [4, 4], \"transforms\": []}", "t.json: a shape is [height, width, channels].")]
    [InlineData("{\"input\": 4, \"transforms\": []}", "t.json: a shape is [height, width, channels].")]
    [InlineData("{\"input\": [4, 4, 3], \"transforms\": [{\"options\": {}}]}", "t.json: transforms[0]: each recorded step needs a \"name\".")]
    [InlineData("{\"input\": [4, 4, 3], \"transforms\": [{\"name\": 3}]}", "t.json: transforms[0]: each recorded step needs a \"name\".")]
    [InlineData("{\"input\": [4, 4, 3], \"transforms\": [{\"name\": \"rotate\", \"params\": {\"degrees\": 1}}, {\"name\": \"shear\", \"params\": {}, \"output\": [1]}]}", "t.json: transforms[1]: a shape is [height, width, channels].")]
    [InlineData("{\"input\": [4, 4, 3], \"transforms\": [{\"name\": \"one_of\", \"options\": {\"transforms\": [{\"name\": \"rotate\"}]}, \"params\": {}}]}", "t.json: transforms[0]: 'one_of' is a composition; recorded parameters hold only the transforms that applied.")]
    [InlineData("{\"input\": [4, 4, 3], \"transforms\": [{\"name\": \"normalize\", \"options\": {\"std\": [0]}, \"params\": {}}]}", "t.json: transforms[0]: normalize: option 'std' holds 0 at 0; std + epsilon must be above 0. (Parameter 'options')")]
    public void Bad_recorded_parameters_say_what_is_wrong(string json, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => ParameterTape.FromJson(json, source: "t.json")).Message);

    [Fact]
    public void Bad_params_and_bad_json_are_format_errors()
    {
        var e = Assert.Throws<FormatException>(() => ParameterTape.FromJson("""{"input": [4, 4, 3], "transforms": [{"name": "rotate", "params": {"degrees": "x"}}]}""", source: "t.json"));
        Assert.StartsWith("t.json: transforms[0] (rotate): bad \"params\": ", e.Message);
        e = Assert.Throws<FormatException>(() => ParameterTape.FromJson("{", source: "t.json"));
        Assert.StartsWith("t.json: not valid recorded-parameters JSON (", e.Message);
    }

    [Fact]
    public void Recorded_steps_without_options_or_output_take_defaults()
    {
        var tape = ParameterTape.FromJson("""{"input": [4, 5, 3], "transforms": [{"name": "rotate", "params": {"degrees": 90}}, {"name": "rescale", "params": {}}]}""");
        Assert.Equal(2, tape.Count);
        Assert.Equal(ImageInfo.Create(4, 5, 3), tape.Output);
        Assert.Equal(90, tape.ParametersAt<RotateParams>(0).Degrees);
        Assert.Equal(1.0 / 255, ((RescaleOptions)tape[1].Transform.Options).Factor);
        var noInput = ParameterTape.FromJson("""{"transforms": []}""");
        Assert.Equal(default, noInput.Input);
        Assert.Equal(0, noInput.Count);
    }

    [Fact]
    public void Recorded_outputs_chain_into_the_next_steps_input()
    {
        var p = new TransformPipeline(new RandomResizedCropOptions { Size = new Size(6, 7) }, new RotateOptions { Degrees = 10 });
        var random = new RandomStream(3);
        var tape = ParameterTape.FromJson(p.Sample(ref random, Info).ToJson());
        Assert.Equal(Info, tape[0].Input);
        Assert.Equal(ImageInfo.Create(6, 7, 3), tape[0].Output);
        Assert.Equal(ImageInfo.Create(6, 7, 3), tape[1].Input);
        Assert.Equal(ImageInfo.Create(6, 7, 3), tape.Output);
    }

    [Fact]
    public void Plan_of_an_empty_or_photometric_only_tape()
    {
        var random = new RandomStream(3);
        var empty = new TransformPipeline(new RandomApplyOptions { Transforms = [new RotateOptions()], P = 0 }).Sample(ref random, Info);
        Assert.Equal("convert[]", TransformPipeline.Plan(empty).ToString());
        Assert.Equal("", TransformPipeline.Plan(empty, floatOutput: false).ToString());
        var photo = new TransformPipeline(new ColorJitterOptions { Brightness = 0.2 }, new RescaleOptions()).Sample(ref random, Info);
        Assert.Equal("step[color_jitter] -> convert[] + scale_offset[rescale]", TransformPipeline.Plan(photo).ToString());
        Assert.Equal(0, TransformPipeline.Plan(photo).WarpPasses);
        Assert.Equal("warp[rotate]", new PlanPass(PassKind.Warp, ["rotate"], []).ToString());
    }

    [Theory]
    [InlineData(1, 0, 0, 0, 1, 0, true)]        // identity
    [InlineData(1, 0, 0, 0, -1, 13, true)]      // horizontal flip of 14 columns
    [InlineData(-1, 0, 11, 0, 1, 0, true)]      // vertical flip of 12 rows
    [InlineData(1, 0, 0, 0, -1, 12, false)]     // mirrored one column short: the corner (0, 0) maps outside
    [InlineData(1, 0, 1, 0, 1, 0, false)]       // shift by one row: the last row maps outside
    [InlineData(1, 0, 0.5, 0, 1, 0, false)]     // half a pixel
    [InlineData(1, 0, 0, 0, 1, -0.5, false)]
    [InlineData(2, 0, 0, 0, 1, 0, false)]       // a scale
    [InlineData(1, 1, 0, 1, 1, 0, false)]       // unit entries but singular
    [InlineData(0, 1, 0, 1, 0, 0, false)]       // transpose of a non-square image maps outside
    [InlineData(1, 0, 0, 0, 0.5, 0, false)]
    [InlineData(1, 0, 0, 0.5, 1, 0, false)]
    [InlineData(1, 0.5, 0, 0, 1, 0, false)]
    [InlineData(0.5, 0, 0, 0, 1, 0, false)]
    public void Grid_permutations(double m00, double m01, double m02, double m10, double m11, double m12, bool expected) =>
        Assert.Equal(expected, TapeRunner.IsGridPermutation(new AffineMatrix(m00, m01, m02, m10, m11, m12), Info, Info));

    [Fact]
    public void Grid_permutations_of_squares_and_shape_changes()
    {
        var square = ImageInfo.Create(9, 9, 1);
        Assert.True(TapeRunner.IsGridPermutation(new AffineMatrix(0, 1, 0, 1, 0, 0), square, square));    // transpose
        Assert.True(TapeRunner.IsGridPermutation(new AffineMatrix(0, -1, 8, 1, 0, 0), square, square));   // quarter turn
        Assert.False(TapeRunner.IsGridPermutation(AffineMatrix.Identity, square, ImageInfo.Create(9, 9, 3)));
        Assert.True(TapeRunner.IsGridPermutation(new AffineMatrix(-1, 0, 8, 0, -1, 8), square, square));   // half turn
        Assert.False(TapeRunner.IsGridPermutation(new AffineMatrix(-1, 0, 8, 0, -1, 9), square, square));
        Assert.False(TapeRunner.IsGridPermutation(new AffineMatrix(-1, 0, 9, 0, -1, 8), square, square));
        Assert.False(TapeRunner.IsGridPermutation(new AffineMatrix(1, 0, -1, 0, 1, 0), square, square));
        Assert.False(TapeRunner.IsGridPermutation(new AffineMatrix(1, 0, 0, 0, 1, -1), square, square));
        Assert.False(TapeRunner.IsGridPermutation(new AffineMatrix(1, 0, 0, 0, 1, 1), square, square));
    }

    private static ParameterTape FusedTape(params TransformOptions[] steps)
    {
        var random = new RandomStream(6);
        return new TransformPipeline(steps) { Precision = PipelinePrecision.FloatWithFusedWarps }.Sample(ref random, Info);
    }

    [Theory]
    [InlineData(FillMode.Nearest, 3.5, true)]
    [InlineData(FillMode.Constant, 0, true)]
    [InlineData(FillMode.Constant, 255, true)]
    [InlineData(FillMode.Constant, 3.5, false)]   // a fill bytes cannot hold
    [InlineData(FillMode.Constant, -1, false)]
    [InlineData(FillMode.Constant, 256, false)]
    public void Warps_fuse_into_one_byte_warp_only_with_a_fill_bytes_can_hold(FillMode fill, double cval, bool fuses)
    {
        var tape = FusedTape(new RotateOptions { Degrees = 20, FillMode = fill, Cval = cval }, new RescaleOptions());
        Assert.Equal(fuses, TapeRunner.FusesIntoOneWarp(tape));
        Assert.Equal(fuses, TapeRunner.TakesByteRoute(tape, allowFusing: true));
        Assert.False(TapeRunner.TakesByteRoute(tape, allowFusing: false));
    }

    [Fact]
    public void What_fuses_and_which_route_is_taken()
    {
        Assert.True(TapeRunner.FusesIntoOneWarp(FusedTape(new RotateOptions { Degrees = 20 }, new ShearOptions { Degrees = 5 })));
        Assert.True(TapeRunner.FusesIntoOneWarp(FusedTape(new RotateOptions { Degrees = 20 }, new RotateOptions { Degrees = 0, Interpolation = Interpolation.Nearest }, new ShearOptions { Degrees = 5 })));
        Assert.False(TapeRunner.FusesIntoOneWarp(FusedTape(new RotateOptions { Degrees = 20 }, new ZoomOptions { Range = new Interval(0.9, 1.1), Interpolation = Interpolation.Nearest })));
        Assert.False(TapeRunner.FusesIntoOneWarp(FusedTape(new RotateOptions { Degrees = 20 }, new BrightnessOptions { Range = new Interval(0.5, 1) })));
        Assert.True(TapeRunner.FusesIntoOneWarp(FusedTape(new RescaleOptions())));
        var random = new RandomStream(1);
        var bytes = new TransformPipeline(new BrightnessOptions { Range = new Interval(0.5, 1) }).Sample(ref random, Info);
        Assert.True(TapeRunner.TakesByteRoute(bytes, allowFusing: false));
        var floats = new TransformPipeline(new RotateOptions()) { Precision = PipelinePrecision.Float }.Sample(ref random, Info);
        Assert.False(TapeRunner.TakesByteRoute(floats, allowFusing: true));
    }

    [Theory]
    [InlineData(PipelinePrecision.Bytes)]
    [InlineData(PipelinePrecision.Float)]
    [InlineData(PipelinePrecision.FloatWithFusedWarps)]
    public void Channels_first_output_is_the_channels_last_output_transposed(PipelinePrecision precision)
    {
        using var src = ParameterTapeTests.Photo(12, 14);
        foreach (var steps in new TransformOptions[][]
                 {
                     [new RotateOptions { Degrees = 20 }, new RescaleOptions { Factor = 0.5 }],
                     [new RotateOptions { Degrees = 20 }, new ColorJitterOptions { Brightness = 0.3 }, new NormalizeOptions { Mean = [3], Std = [2] }],
                     [new ColorJitterOptions { Brightness = 0.3 }],
                     [new HorizontalFlipOptions { P = 1 }],
                 })
        {
            var random = new RandomStream(4);
            var tape = new TransformPipeline(steps) { Precision = precision }.Sample(ref random, src.Info);
            int n = tape.Output.Length;
            using var scratch = new RunScratch();
            var last = new float[n];
            var first = new float[n];
            TapeRunner.Run(tape, src, last, DataFormat.ChannelsLast, scratch);
            TapeRunner.Run(tape, src, first, DataFormat.ChannelsFirst, scratch);
            var lastBytes = new byte[n];
            var firstBytes = new byte[n];
            TapeRunner.Run(tape, src, lastBytes, DataFormat.ChannelsLast, scratch);
            TapeRunner.Run(tape, src, firstBytes, DataFormat.ChannelsFirst, scratch);
            var o = tape.Output;
            for (int r = 0; r < o.Height; r++)
                for (int c = 0; c < o.Width; c++)
                    for (int ch = 0; ch < o.Channels; ch++)
                    {
                        int hwc = (r * o.Width + c) * o.Channels + ch, chw = (ch * o.Height + r) * o.Width + c;
                        Assert.Equal(last[hwc], first[chw]);
                        Assert.Equal(lastBytes[hwc], firstBytes[chw]);
                        Assert.Equal(PixelMathRound(last[hwc]), lastBytes[hwc]);
                    }
        }
    }

    private static byte PixelMathRound(float v) => (byte)Math.Clamp(MathF.Round(v, MidpointRounding.ToEven), 0, 255);

    [Fact]
    public void Byte_route_with_an_identity_tail_copies_the_steps_output()
    {
        using var src = ParameterTapeTests.Photo(12, 14);
        var random = new RandomStream(4);
        var tape = new TransformPipeline(new HorizontalFlipOptions { P = 1 }, new RescaleOptions { Factor = 1 }).Sample(ref random, src.Info);
        using var scratch = new RunScratch();
        var dst = new byte[src.Length];
        Assert.True(TapeRunner.Run(tape, src, dst, DataFormat.ChannelsLast, scratch));
        using var flipped = new Image<byte>(src.Info);
        Flip.Horizontal(src, flipped);
        Assert.Equal(flipped.Span.ToArray(), dst);
    }

    [Fact]
    public void The_float_route_is_reported()
    {
        using var src = ParameterTapeTests.Photo(12, 14);
        var random = new RandomStream(4);
        var tape = new TransformPipeline(new RotateOptions { Degrees = 10 }) { Precision = PipelinePrecision.Float }.Sample(ref random, src.Info);
        using var scratch = new RunScratch();
        Assert.False(TapeRunner.Run(tape, src, new byte[src.Length], DataFormat.ChannelsLast, scratch));
        Assert.False(TapeRunner.Run(tape, src, new float[src.Length], DataFormat.ChannelsLast, scratch));
    }

    [Fact]
    public void Run_scratch_reuses_a_slot_of_the_same_shape_and_replaces_another()
    {
        using var scratch = new RunScratch();
        var a = scratch.Bytes(0, Info);
        Assert.Same(a, scratch.Bytes(0, Info));
        Assert.NotSame(a, scratch.Bytes(1, Info));
        var b = scratch.Bytes(0, ImageInfo.Create(3, 3, 1));
        Assert.Equal(ImageInfo.Create(3, 3, 1), b.Info);
        Assert.Same(scratch.Floats(2, Info), scratch.Slot<float>(2, Info));
        Assert.Same(scratch.Bytes(2, Info), scratch.Slot<byte>(2, Info));
    }
}
