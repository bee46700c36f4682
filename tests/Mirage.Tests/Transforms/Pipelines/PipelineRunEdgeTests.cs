using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Tests.Kernels;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Transforms.Pipelines;

/// <summary>
/// Running tapes, where the Transforms/Pipelines Stryker run (docs/TESTING.md) found nothing watching: the output shape
/// of a multi-step tape, replay through the registry the tape was recorded with, the scratch images' pools, the float
/// route into bytes and its return value, and the shape check of the float-destination overload.
/// </summary>
public class PipelineRunEdgeTests
{
    private static readonly ImageInfo Input = ImageInfo.Create(100, 80, 3);

    [Fact]
    public void A_tapes_output_is_its_last_steps_shape()
    {
        var pipeline = TransformPipeline.FromJson("""
            {"transforms": [{"name": "horizontal_flip", "p": 1.0}, {"name": "random_resized_crop", "size": [48, 48]}]}
            """);
        var random = new RandomStream(5);
        var tape = pipeline.Sample(ref random, Input);
        Assert.Equal(2, tape.Count);
        Assert.Equal(ImageInfo.Create(48, 48, 3), tape.Output);
        Assert.Equal(ImageInfo.Create(48, 48, 3), ParameterTape.FromJson(tape.ToJson()).Output);
    }

    [Fact]
    public void A_recorded_tape_replays_through_the_registry_it_names()
    {
        var registry = TransformRegistry.CreateDefault();
        registry.Register<SkewOptions>();
        var pipeline = TransformPipeline.FromJson("""{"transforms": [{"name": "skew", "amount": 0.2}, {"name": "rotate", "degrees": 10}]}""", registry);
        using var src = TestImages.RandomByte(Input.Height, Input.Width, 3, 21);
        var random = new RandomStream(9);
        var tape = pipeline.Sample(ref random, Input);
        using var expected = TransformPipeline.Run(tape, src);
        var replayed = ParameterTape.FromJson(tape.ToJson(), registry);
        using var actual = TransformPipeline.Run(replayed, src);
        Assert.True(actual.Span.SequenceEqual(expected.Span));
        // Without the registry that knows "skew", the recorded name is refused.
        Assert.Contains("skew", Assert.Throws<FormatException>(() => ParameterTape.FromJson(tape.ToJson())).Message);
    }

    [Fact]
    public void Run_scratch_rents_from_its_configurations_pools_and_returns_everything()
    {
        var bytes = new CountingPool<byte>();
        var floats = new CountingPool<float>();
        var configuration = new MirageConfiguration { BytePool = bytes, FloatPool = floats };
        var scratch = new RunScratch(configuration);
        var small = ImageInfo.Create(4, 5, 3);
        var b0 = scratch.Bytes(0, small);
        Assert.Same(b0, scratch.Bytes(0, small)); // same shape: reused, not rented again
        scratch.Floats(1, small);
        Assert.Equal((1, 1), (bytes.Rents, floats.Rents));
        scratch.Bytes(0, ImageInfo.Create(6, 5, 3)); // another shape: the old buffer goes back, a new one is rented
        Assert.Equal((2, 1), (bytes.Rents, bytes.Outstanding));
        scratch.Dispose();
        Assert.Equal((0, 0), (bytes.Outstanding, floats.Outstanding));
        // After Dispose the scratch starts afresh: no disposed image is handed out again.
        var again = scratch.Bytes(0, ImageInfo.Create(6, 5, 3));
        Assert.Equal(90, again.Span.Length);
        Assert.Equal(60, scratch.Floats(1, small).Span.Length);
        scratch.Dispose();
        Assert.Equal((0, 0), (bytes.Outstanding, floats.Outstanding));
    }

    [Theory]
    [InlineData(PipelinePrecision.Bytes, true)]
    [InlineData(PipelinePrecision.Float, false)]
    public void Bytes_out_on_either_route_give_the_flipped_image_and_say_which_route_ran(PipelinePrecision precision, bool byteRoute)
    {
        var pipeline = TransformPipeline.FromJson("""{"transforms": [{"name": "horizontal_flip", "p": 1.0}]}""");
        var random = new RandomStream(1);
        var tape = pipeline.Sample(ref random, Input);
        tape.Precision = precision;
        using var src = TestImages.RandomByte(Input.Height, Input.Width, 3, 4);
        var dst = new byte[Input.Length];
        using var scratch = new RunScratch();
        Assert.Equal(byteRoute, TapeRunner.Run(tape, src, dst, DataFormat.ChannelsLast, scratch));
        for (int y = 0; y < Input.Height; y++)
            for (int x = 0; x < Input.Width; x++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal(src[y, Input.Width - 1 - x, c], dst[(y * Input.Width + x) * 3 + c]);
    }

    [Fact]
    public void Bytes_out_with_a_trailing_rescale_round_the_scaled_values_on_the_byte_route()
    {
        var pipeline = TransformPipeline.FromJson("""{"transforms": [{"name": "horizontal_flip", "p": 1.0}, {"name": "rescale", "factor": 0.5}]}""");
        var random = new RandomStream(1);
        var tape = pipeline.Sample(ref random, Input);
        using var src = TestImages.RandomByte(Input.Height, Input.Width, 3, 6);
        var dst = new byte[Input.Length];
        using var scratch = new RunScratch();
        Assert.True(TapeRunner.Run(tape, src, dst, DataFormat.ChannelsLast, scratch));
        for (int y = 0; y < Input.Height; y++)
            for (int x = 0; x < Input.Width; x++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal((byte)MathF.Round(src[y, Input.Width - 1 - x, c] * 0.5f, MidpointRounding.ToEven), dst[(y * Input.Width + x) * 3 + c]);
    }

    [Fact]
    public void The_float_destination_overload_checks_the_input_shape()
    {
        var pipeline = TransformPipeline.FromJson("""{"transforms": [{"name": "rotate", "degrees": 10}]}""");
        var random = new RandomStream(2);
        var tape = pipeline.Sample(ref random, Input);
        using var wrong = new Image<byte>(ImageInfo.Create(80, 100, 3));
        var e = Assert.Throws<ArgumentException>(() => TransformPipeline.Run(tape, wrong, new float[Input.Length], DataFormat.ChannelsLast));
        Assert.Equal("src", e.ParamName);
    }
}
