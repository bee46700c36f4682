using Mirage.Imaging;

namespace Mirage.Codecs;

/// <summary>Reads JPEG, PNG, BMP, WebP and GIF (first frame) into 8-bit HWC images.</summary>
public static class ImageDecoder
{
    /// <summary>Decodes the file at <paramref name="path"/>; throws <see cref="ImageDecodeException"/> naming the file.</summary>
    public static Image<byte> Decode(string path, ColorMode mode) =>
        throw new NotImplementedException("Codecs land with the codec work.");

    /// <summary>Decodes encoded bytes; <paramref name="sourceName"/> names the input in errors.</summary>
    public static Image<byte> Decode(ReadOnlySpan<byte> data, ColorMode mode, string sourceName) =>
        throw new NotImplementedException("Codecs land with the codec work.");
}
