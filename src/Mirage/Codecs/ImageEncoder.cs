using Mirage.Imaging;

namespace Mirage.Codecs;

public enum ImageFormat
{
    Png,
    Jpeg,
    Webp,
}

/// <summary>Writes 8-bit images as PNG, JPEG or WebP, atomically (temp file in the same folder, then rename).</summary>
public static class ImageEncoder
{
    /// <summary>Encodes and writes; the format comes from <paramref name="format"/> or else the file extension.</summary>
    public static void Save(Image<byte> image, string path, ImageFormat? format = null, int quality = 95) =>
        throw new NotImplementedException("Codecs land with the codec work.");
}
