using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms;

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

    /// <summary>The generator as an augmenter.</summary>
    /// <param name="generator">The generator whose GetRandomTransform, ApplyTransform and Standardize are used.</param>
    /// <returns>An augmenter that also lets the batch iterator fuse warp and normalisation for byte sources.</returns>
    public static ISampleAugmenter Of(ImageDataGenerator generator) => new GeneratorAugmenter(generator);
}

internal sealed class GeneratorAugmenter(ImageDataGenerator generator) : ISampleAugmenter, IFusableAugmenter
{
    public ImageDataGenerator Generator { get; } = generator;

    public TransformParameters Sample(ImageInfo shape, ref RandomStream random) => Generator.GetRandomTransform(shape, ref random);

    public void Apply(Image<float> src, Image<float> dst, in TransformParameters parameters) => Generator.ApplyTransform(src, dst, parameters);

    public void Standardize(Image<float> x) => Generator.Standardize(x);

    public FusedSample? Fused(ImageInfo shape) => FusedSample.For(Generator, shape);
}
