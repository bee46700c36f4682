using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Pipelines;

namespace Mirage.Benchmarks;

/// <summary>
/// `pipeline DIR [seconds]`: the fused sample path of flow_from_directory taken apart, per 224² sample, interleaved in
/// 20 ms rounds (medians): decode, draw the tape + run its plan (fused warp→float), both together, and a whole batch via GetBatch.
/// </summary>
public static class PipelineQuick
{
    public static void Run(string dir, double seconds)
    {
        var generator = new ImageDataGenerator(new ImageDataGeneratorOptions
        {
            RotationRange = 40, WidthShiftRange = 0.2, HeightShiftRange = 0.2, ShearRange = 0.2, ZoomRange = (0.8, 1.2),
            HorizontalFlip = true, FillMode = FillMode.Nearest,
        });
        var load = new ImageLoadOptions((224, 224), ScaledDecode: true);
        var files = ImageFiles.Stream(dir, false).Take(256).Select(f => Path.Combine(dir, f)).ToArray();
        var sources = files.Select(load.LoadBytes).ToArray();
        var shape = sources[0].Info;
        // Per sample, what the data layer does after the load: the tape from the sample's stream, then its plan.
        var pipeline = generator.Pipeline;
        var tape = new ParameterTape();
        var scratch = new RunScratch();
        var slot = new float[shape.Length];
        var bytesOut = new Image<byte>(shape);
        using var it = generator.FlowFromDirectory(dir, new DirectoryFlowOptions { TargetSize = (224, 224), BatchSize = 32, Seed = 1 });
        using var it0 = generator.FlowFromDirectory(dir, new DirectoryFlowOptions { TargetSize = (224, 224), BatchSize = 32, Seed = 1 });
        // No worker-thread case here: its worker would keep building ahead during the other cases' rounds.
        using var itns = generator.FlowFromDirectory(dir, new DirectoryFlowOptions { TargetSize = (224, 224), BatchSize = 32, Seed = 1, Shuffle = false });
        var cases = new (string Name, int PerCall, Action<int> One)[]
        {
            ("decode 224² JPEG (LoadBytes)", 1, i => load.LoadBytes(files[i % files.Length]).Dispose()),
            ("draw tape + plan -> bytes HWC (flip folded)", 1, i =>
            {
                var rng = StreamKeys.Sample(1, 0, i);
                pipeline.Sample(ref rng, shape, tape);
                TapeRunner.Run(tape, sources[i % sources.Length], bytesOut.Span, DataFormat.ChannelsLast, scratch);
            }),
            ("draw tape + plan (fused warp) -> float HWC", 1, i =>
            {
                var rng = StreamKeys.Sample(1, 0, i);
                pipeline.Sample(ref rng, shape, tape);
                TapeRunner.Run(tape, sources[i % sources.Length], slot, DataFormat.ChannelsLast, scratch);
            }),
            ("decode + draw tape + plan -> float", 1, i =>
            {
                using var b = load.LoadBytes(files[i % files.Length]);
                var rng = StreamKeys.Sample(1, 0, i);
                pipeline.Sample(ref rng, shape, tape);
                TapeRunner.Run(tape, b, slot, DataFormat.ChannelsLast, scratch);
            }),
            ("GetBatch(32) per image", 32, i => it.GetBatch(i % it.Length).Dispose()),
            ("Next(), workers 0, per image", 32, i => it0.Next().Dispose()),
            ("Next(), workers 0, no shuffle, per image", 32, i => itns.Next().Dispose()),
        };
        foreach (var c in cases) for (int i = 0; i < 64; i += c.PerCall) c.One(i);
        Rounds.Run(cases, seconds);
    }
}
