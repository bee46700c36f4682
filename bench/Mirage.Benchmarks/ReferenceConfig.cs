using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;

namespace Mirage.Benchmarks;

/// <summary>
/// The reference configuration (rotation 40, shifts 0.2, shear 0.2, zoom 0.2, horizontal flip, fill nearest),
/// sampled as keras-preprocessing's get_random_transform samples it. Kept here so the benchmarks do not depend on
/// the generator, which another part of the code base owns.
/// </summary>
public static class ReferenceConfig
{
    public readonly record struct Draw(AffineMatrix Matrix, bool FlipHorizontal);

    public static Draw Sample(ref RandomStream rng, int height, int width, CentreConvention centre)
    {
        double theta = rng.Uniform(-40, 40);
        double tx = rng.Uniform(-0.2, 0.2) * height;
        double ty = rng.Uniform(-0.2, 0.2) * width;
        double shear = rng.Uniform(-0.2, 0.2);
        double zx = rng.Uniform(0.8, 1.2), zy = rng.Uniform(0.8, 1.2);
        bool flip = rng.NextBool();
        var m = AffineMatrix.FromKeras(theta, tx, ty, shear, zx, zy, height, width, centre) ?? AffineMatrix.Identity;
        return new Draw(m, flip);
    }

    public static Image<byte> Picture(int height, int width, int channels, ulong seed)
    {
        // Smooth content with some noise: closer to a photograph than white noise, and deterministic.
        var img = new Image<byte>(height, width, channels);
        var rng = new RandomStream(seed);
        var s = img.Span;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    s[(y * width + x) * channels + c] = (byte)((x * (c + 1) + y * (3 - c) + rng.NextInt(32)) & 0xFF);
        return img;
    }

    /// <summary>A pool of draws so a benchmark iterates over realistic, varied matrices.</summary>
    public static Draw[] Draws(int count, int height, int width, CentreConvention centre, ulong seed = 1)
    {
        var rng = new RandomStream(seed);
        var draws = new Draw[count];
        for (int i = 0; i < count; i++) draws[i] = Sample(ref rng, height, width, centre);
        return draws;
    }
}
