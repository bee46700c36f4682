using Mirage.Generation;
using System.Text.Json;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Geometric;
using Mirage.Transforms.Photometric;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Transforms.Pipelines;

/// <summary>The tape: compact, allocation-free once warm, serialisable, and it replays byte for byte.</summary>
public class ParameterTapeTests
{
    internal const string IssueConfig = """
        {"transforms": [
          {"name": "random_resized_crop", "size": [96, 96], "scale": [0.3, 1.0], "ratio": [0.75, 1.3333]},
          {"name": "one_of", "weights": [0.7, 0.3], "transforms": [
            {"name": "color_jitter", "brightness": 0.4, "contrast": 0.4, "saturation": 0.4, "hue": 0.1},
            {"name": "horizontal_flip", "p": 1.0}]}]}
        """;

    internal static Image<byte> Photo(int height = 70, int width = 90)
    {
        var img = new Image<byte>(height, width, 3);
        var r = new RandomStream(9);
        var s = img.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (byte)((i * 37 % 251) ^ r.NextInt(16));
        return img;
    }

    private static TransformPipeline Everything() => new(
        new RotateOptions { Degrees = 30 }, new ShiftOptions { Height = 0.1, Width = 3 }, new ShearOptions { Degrees = 10 },
        new ZoomOptions { Range = new Interval(0.8, 1.2) }, new HorizontalFlipOptions(), new VerticalFlipOptions(),
        new ChannelShiftOptions { Intensity = 20 }, new BrightnessOptions { Range = new Interval(0.7, 1.3) },
        new ColorJitterOptions { Brightness = 0.2, Contrast = 0.2, Saturation = 0.2, Hue = 0.05 },
        new RandomResizedCropOptions { Size = new Size(40, 50) }, new RescaleOptions(), new NormalizeOptions { Mean = [0.5, 0.4, 0.3], Std = [0.2, 0.25, 0.3] });

    [Fact]
    public void ARecordedSampleReplaysByteForByteFromItsJsonAlone()
    {
        var pipeline = Everything();
        using var src = Photo();
        for (int i = 0; i < 20; i++)
        {
            var random = RandomStream.For(42, 0, i);
            var tape = pipeline.Sample(ref random, src.Info);
            using var direct = TransformPipeline.Run(tape, src);
            string json = tape.ToJson();
            var replayed = ParameterTape.FromJson(json);
            Assert.Equal(json, replayed.ToJson());
            using var again = TransformPipeline.Run(replayed, src);
            Assert.True(direct.Span.SequenceEqual(again.Span), $"sample {i}");
            var a = new float[tape.Output.Length];
            var b = new float[tape.Output.Length];
            TransformPipeline.Run(tape, src, a, DataFormat.ChannelsFirst);
            TransformPipeline.Run(replayed, src, b, DataFormat.ChannelsFirst);
            Assert.True(a.AsSpan().SequenceEqual(b), $"sample {i} (floats)");
        }
    }

    [Fact]
    public void EveryEntryCarriesNameOptionsParamsAndOutputShape()
    {
        var pipeline = TransformPipeline.FromJson(IssueConfig);
        var random = new RandomStream(3);
        var tape = pipeline.Sample(ref random, ImageInfo.Create(120, 160, 3));
        using var doc = JsonDocument.Parse(tape.ToJson());
        Assert.Equal([120, 160, 3], doc.RootElement.GetProperty("input").EnumerateArray().Select(e => e.GetInt32()));
        var first = doc.RootElement.GetProperty("transforms")[0];
        Assert.Equal("random_resized_crop", first.GetProperty("name").GetString());
        Assert.Equal([96, 96, 3], first.GetProperty("output").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(96, first.GetProperty("options").GetProperty("size")[0].GetInt32());
        Assert.True(first.GetProperty("params").GetProperty("height").GetInt32() > 0);
        Assert.Equal(2, doc.RootElement.GetProperty("transforms").GetArrayLength());
    }

    [Fact]
    public void SamplingOntoAWarmTapeAllocatesNothing()
    {
        var pipeline = Everything();
        var tape = new ParameterTape();
        var info = ImageInfo.Create(64, 64, 3);
        for (int i = 0; i < 10; i++)
        {
            var r = RandomStream.For(1, 0, i);
            pipeline.Sample(ref r, info, tape);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            var r = RandomStream.For(1, 1, i);
            pipeline.Sample(ref r, info, tape);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(12, tape.Count);
    }

    [Fact]
    public void TypedParametersReadBack()
    {
        var pipeline = new TransformPipeline(new RotateOptions { Degrees = 30 }, new HorizontalFlipOptions { P = 1 });
        var random = new RandomStream(8);
        var tape = pipeline.Sample(ref random, ImageInfo.Create(10, 10, 1));
        Assert.InRange(tape.ParametersAt<RotateParams>(0).Degrees, -30, 30);
        Assert.True(tape.ParametersAt<FlipParams>(1).Flip);
        Assert.Throws<InvalidOperationException>(() => tape.ParametersAt<RotateParams>(1));
    }

    [Fact]
    public void BadRecordedParametersNameTheStep()
    {
        var e = Assert.Throws<FormatException>(() => ParameterTape.FromJson("""{"input": [4, 4, 3], "transforms": [{"name": "rotat", "options": {}, "params": {"degrees": 3}}]}"""));
        Assert.Contains("transforms[0]", e.Message);
        Assert.Contains("Did you mean 'rotate'?", e.Message);
        e = Assert.Throws<FormatException>(() => ParameterTape.FromJson("""{"input": [4, 4, 3], "transforms": [{"name": "rotate", "options": {}}]}"""));
        Assert.Contains("no \"params\"", e.Message);
    }

    [Fact]
    public void ReplayRefusesAnImageOfAnotherShape()
    {
        var pipeline = new TransformPipeline(new RotateOptions { Degrees = 30 });
        var random = new RandomStream(8);
        var tape = pipeline.Sample(ref random, ImageInfo.Create(10, 10, 3));
        using var other = new Image<byte>(11, 10, 3);
        var e = Assert.Throws<ArgumentException>(() => TransformPipeline.Run(tape, other));
        Assert.Contains("drawn for a 10x10x3 input", e.Message);
    }
}
