namespace Mirage.Transforms.Pipelines;

/// <summary>
/// What a pipeline's transforms compute on when the input is a decoded 8-bit image. Recorded on every
/// <see cref="ParameterTape"/> the pipeline samples (and in its JSON), so a replay computes the same way.
/// </summary>
public enum PipelinePrecision
{
    /// <summary>
    /// On the 8-bit image, as torchvision does on uint8 tensors: each step's output is 8-bit, and only the last pass
    /// writes floats (with the trailing per-channel affine steps as its scale and offset). The default for pipelines.
    /// </summary>
    Bytes,

    /// <summary>On a float copy (values 0..255), as Keras does: nothing is rounded between steps.</summary>
    Float,

    /// <summary>
    /// As <see cref="Float"/>, except that a sample whose steps are warps with one set of warp options followed only by
    /// per-channel affine steps runs as ONE byte warp straight into the float output: within one grey level of
    /// <see cref="Float"/> before the scale, and much faster. <see cref="Generation.ImageDataGenerator"/>'s default
    /// (not KerasCompatible).
    /// </summary>
    FloatWithFusedWarps,
}
