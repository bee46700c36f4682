using Mirage.Imaging;
using Mirage.Randomness;

namespace Mirage.Tests.Kernels;

/// <summary>Seeded noise images for kernel tests: the same seed gives the same pixels.</summary>
internal static class TestImages
{
    public static Image<byte> RandomByte(int h, int w, int c, ulong seed)
    {
        var rng = new RandomStream(seed);
        var img = new Image<byte>(h, w, c);
        var s = img.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (byte)rng.NextInt(256);
        return img;
    }

    public static Image<float> RandomFloat(int h, int w, int c, ulong seed)
    {
        var rng = new RandomStream(seed);
        var img = new Image<float>(h, w, c);
        var s = img.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (float)rng.Uniform(0, 255);
        return img;
    }
}
