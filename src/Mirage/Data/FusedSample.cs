using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms.Pipelines;

namespace Mirage.Data;

/// <summary>
/// Whether a generator's samples take the fused byte route, and the per-channel scale/offset its standardize folds
/// into the warp: what the fused-path tests check against (the data layer and the benchmarks run
/// <see cref="TransformPipeline"/>'s plan itself). Kept only for <c>FusedPathTests</c> and <c>PinnedOutputTests</c>.
/// </summary>
internal sealed class FusedSample
{
    private FusedSample(float[] scale, float[] offset)
    {
        Scale = scale;
        Offset = offset;
    }

    /// <summary>The per-channel scale and offset the preset's standardize folds into the warp.</summary>
    public float[] Scale { get; }
    public float[] Offset { get; }

    /// <summary>The plan for <paramref name="generator"/>'s samples of <paramref name="shape"/>, or null when its preset does not fuse into one byte warp.</summary>
    public static FusedSample? For(ImageDataGenerator generator, ImageInfo shape)
    {
        if (generator.Preset is not { } preset) return null;
        var random = new RandomStream(0);
        var tape = preset.Pipeline.Sample(ref random, shape);
        if (tape.Precision != PipelinePrecision.FloatWithFusedWarps || !TapeRunner.FusesIntoOneWarp(tape)) return null;
        var scale = new float[shape.Channels];
        var offset = new float[shape.Channels];
        TapeRunner.ScaleOffset(tape, TapeRunner.TailStart(tape), scale, offset);
        return new FusedSample(scale, offset);
    }
}
