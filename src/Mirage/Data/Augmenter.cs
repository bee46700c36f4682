using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms;
using Mirage.Transforms.Pipelines;

namespace Mirage.Data;

/// <summary>
/// What the pipeline needs from an augmenter: draw parameters from the sample's stream, apply them, standardize.
/// <see cref="ImageDataGenerator"/> is the usual one (see <see cref="Of"/>); tests and custom pipelines plug in their own.
/// </summary>
public interface ISampleAugmenter
{
    /// <summary>Draws one sample's parameters (the only place randomness is used).</summary>
    /// <param name="shape">The sample's shape.</param>
    /// <param name="random">The sample's stream, derived from (seed, epoch, index); advanced.</param>
    TransformParameters Sample(ImageInfo shape, ref RandomStream random);

    /// <summary>Writes the transformed <paramref name="src"/> into <paramref name="dst"/> (same shape).</summary>
    /// <param name="src">The loaded sample; not modified.</param>
    /// <param name="dst">Receives the result; the same shape, a different image.</param>
    /// <param name="parameters">What <see cref="Sample"/> drew.</param>
    void Apply(Image<float> src, Image<float> dst, in TransformParameters parameters);

    /// <summary>In place; runs after <see cref="Apply"/> (Keras's standardize).</summary>
    /// <param name="x">The augmented sample, changed in place.</param>
    void Standardize(Image<float> x);

    /// <summary>
    /// When not null, the data layer draws each sample's <see cref="ParameterTape"/> from this pipeline and runs it with
    /// its fused plan straight into the batch slot; <see cref="Sample"/>, <see cref="Apply"/> and
    /// <see cref="Standardize"/> are then not called. Null (the default) for augmenters of Keras parameters.
    /// </summary>
    TransformPipeline? Pipeline => null;

    /// <summary>The generator as an augmenter.</summary>
    /// <param name="generator">The generator whose GetRandomTransform, ApplyTransform and Standardize are used.</param>
    /// <returns>An augmenter that also lets the batch iterator fuse warp and normalisation for byte sources.</returns>
    public static ISampleAugmenter Of(ImageDataGenerator generator) => new GeneratorAugmenter(generator);
}

/// <summary>A generator as an augmenter: the data layer runs its <see cref="ImageDataGenerator.Pipeline"/> (Keras's
/// preset or the pipeline it was built from); Sample/Apply/Standardize are Keras's, for `mirage augment`'s Keras manifests.</summary>
internal sealed class GeneratorAugmenter(ImageDataGenerator generator) : ISampleAugmenter
{
    public ImageDataGenerator Generator { get; } = generator;

    public TransformParameters Sample(ImageInfo shape, ref RandomStream random) => Generator.GetRandomTransform(shape, ref random);

    public void Apply(Image<float> src, Image<float> dst, in TransformParameters parameters) => Generator.ApplyTransform(src, dst, parameters);

    public void Standardize(Image<float> x) => Generator.Standardize(x);

    public TransformPipeline? Pipeline => Generator.Pipeline;
}
