using Mirage.Generation;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Kernels.Photometric;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Pipelines;

using Mirage.Data;

namespace Mirage.Tests.Data;

/// <summary>
/// A test probe: the Keras preset's fused plan taken apart (folded matrix, folded scale/offset), for the fused-path
/// tests that check those pieces on their own (<c>FusedPathTests</c>, <c>PinnedOutputTests</c>). Everything comes from
/// the preset's pipeline and its planner (<see cref="TapeRunner"/>); the library, <c>mirage bench --breakdown</c> and
/// the benchmarks run <see cref="TransformPipeline"/>'s plan itself (this was once the library's shadow copy of the
/// generator, Data/FusedSample.cs).
/// </summary>
internal sealed class FusedSample
{
    private readonly KerasPreset _preset;
    private readonly ParameterTape _tape = new();

    private FusedSample(KerasPreset preset, ImageInfo shape, WarpOptions warp, float[] scale, float[] offset)
    {
        _preset = preset;
        Shape = shape;
        Warp = warp;
        Scale = scale;
        Offset = offset;
    }

    public ImageInfo Shape { get; }
    public WarpOptions Warp { get; }
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
        return new FusedSample(preset, shape, generator.WarpOptions, scale, offset);
    }

    /// <summary>The one matrix the planner makes of <paramref name="p"/>'s warp and flips, or false when <paramref name="p"/> holds a step that does not fuse.</summary>
    public bool TryMatrix(in TransformParameters p, out AffineMatrix m)
    {
        m = AffineMatrix.Identity;
        if (p.ChannelShiftIntensity is not null || p.Brightness is not null) return false;
        var tape = _preset.Geometry(p, Shape, _tape);
        TapeRunner.NextGroup(tape, 0, tape.Count, byteRoute: true, out _, out m, out _);
        return true;
    }

    /// <summary>Warps <paramref name="src"/> with <paramref name="m"/> into a float slot with the preset's scale/offset (what the fused route's last pass does).</summary>
    public void WriteFloat(Image<byte> src, in AffineMatrix m, Span<float> dst, DataFormat layout)
    {
        if (m.IsIdentity) Normalize.ToFloat(src, dst, layout, Scale, Offset);
        else WarpAffine.ApplyToFloat(src, dst, layout, m, Warp, Scale, Offset);
    }
}
