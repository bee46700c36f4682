using Mirage.Imaging;
using Mirage.Randomness;
using Mirage.Transforms;

namespace Mirage.Generation;

/// <summary>Keras's ImageDataGenerator: random augmentation, standardization and feature-wise statistics.</summary>
public sealed class ImageDataGenerator
{
    public ImageDataGenerator(ImageDataGeneratorOptions? options = null) =>
        throw new NotImplementedException("Generator lands with the generator work.");

    /// <summary>The options in force, after Keras's implied flags (zca_whitening turns featurewise_center on, …).</summary>
    public ImageDataGeneratorOptions Options { get; } = new();

    /// <summary>Draws parameters for an image of <paramref name="shape"/> from <paramref name="random"/>.</summary>
    public TransformParameters GetRandomTransform(ImageInfo shape, ref RandomStream random) => throw new NotImplementedException();

    /// <summary>Keras's get_random_transform(img_shape, seed).</summary>
    public TransformParameters GetRandomTransform(ImageInfo shape, ulong? seed = null) => throw new NotImplementedException();

    /// <summary>Applies explicit parameters into <paramref name="dst"/> (same shape as <paramref name="src"/>).</summary>
    public void ApplyTransform(Image<float> src, Image<float> dst, in TransformParameters parameters) => throw new NotImplementedException();

    public Image<float> ApplyTransform(Image<float> x, in TransformParameters parameters) => throw new NotImplementedException();

    public Image<float> RandomTransform(Image<float> x, ulong? seed = null) => throw new NotImplementedException();

    /// <summary>Keras's standardize, in place: preprocessing function, rescale, samplewise, featurewise, ZCA.</summary>
    public void Standardize(Image<float> x) => throw new NotImplementedException();
}
