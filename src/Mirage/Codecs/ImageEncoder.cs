using System.Buffers;
using Mirage.Imaging;
using SkiaSharp;

namespace Mirage.Codecs;

/// <summary>
/// Writes 8-bit images (1, 3 or 4 channels) as PNG, JPEG or WebP (the <see cref="ImageFormat"/> values it writes), atomically (temp file in the same folder, then
/// rename). 1 channel is written as 8-bit gray by PNG and JPEG and expanded to RGB for WebP; JPEG drops alpha
/// (no compositing, as Pillow's convert('RGB')).
/// </summary>
public static class ImageEncoder
{
    /// <summary>Quality used when none is given: 95, on the 1..100 scale of JPEG and WebP (Keras saves JPEG at
    /// Pillow's default, 75; pass 75 for files of a similar size).</summary>
    public const int DefaultQuality = 95;

    /// <summary>Encodes and writes; the format comes from <paramref name="format"/> or else the file extension.</summary>
    /// <param name="image">An 8-bit image with 1, 3 or 4 channels; not modified.</param>
    /// <param name="path">The file to write; its folder must exist. Written atomically (<see cref="AtomicFile"/>), replacing
    /// an existing file.</param>
    /// <param name="format">The format, or null to take it from the extension of <paramref name="path"/>.</param>
    /// <param name="quality">1..100: JPEG/WebP quality, lossless WebP compression effort; ignored by PNG.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or, with no <paramref name="format"/>, has an
    /// extension other than .png, .jpg, .jpeg, .webp; or the image has a channel count other than 1, 3, 4.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quality"/> is outside 1..100, or
    /// <paramref name="format"/> is not one Mirage writes (Png, Jpeg, Webp, WebpLossless).</exception>
    /// <exception cref="IOException">The file cannot be written (the message names <paramref name="path"/>).</exception>
    public static void Save(Image<byte> image, string path, ImageFormat? format = null, int quality = DefaultQuality)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var resolved = format ?? FormatFromExtension(path);
        using var encoded = EncodeData(image, resolved, quality);
        AtomicFile.WriteAllBytes(path, encoded.AsSpan());
    }

    /// <summary>Encodes to bytes in memory.</summary>
    /// <param name="image">An 8-bit image with 1, 3 or 4 channels; not modified.</param>
    /// <param name="format">The format to encode.</param>
    /// <param name="quality">1..100: JPEG/WebP quality, lossless WebP compression effort; ignored by PNG.</param>
    /// <returns>The complete encoded file, a new array.</returns>
    /// <exception cref="ArgumentException">The image has a channel count other than 1, 3 or 4.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quality"/> is outside 1..100, or
    /// <paramref name="format"/> is not one Mirage writes (Png, Jpeg, Webp, WebpLossless).</exception>
    public static byte[] Encode(Image<byte> image, ImageFormat format, int quality = DefaultQuality)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var encoded = EncodeData(image, format, quality);
        return encoded.AsSpan().ToArray();
    }

    /// <summary>.png, .jpg/.jpeg, .webp (case-insensitive); anything else is an <see cref="ArgumentException"/>.</summary>
    /// <param name="path">A file name or path; only its extension is read.</param>
    /// <returns>Png, Jpeg or Webp (lossy); lossless WebP is never inferred.</returns>
    /// <exception cref="ArgumentException">The extension is not one of those four.</exception>
    public static ImageFormat FormatFromExtension(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => ImageFormat.Png,
            ".jpg" or ".jpeg" => ImageFormat.Jpeg,
            ".webp" => ImageFormat.Webp,
            var ext => throw new ArgumentException(
                $"Cannot tell the image format of '{path}' from its extension '{ext}'; use .png, .jpg, .jpeg or .webp, or pass the format.",
                nameof(path)),
        };
    }

    private static unsafe SKData EncodeData(Image<byte> image, ImageFormat format, int quality)
    {
        if (quality is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(quality), quality, "Quality must be between 1 and 100.");
        if (format is not (ImageFormat.Png or ImageFormat.Jpeg or ImageFormat.Webp or ImageFormat.WebpLossless))
            throw new ArgumentOutOfRangeException(nameof(format), format, Enum.IsDefined(format)
                ? $"Mirage reads {format} but writes only PNG, JPEG and WebP."
                : "Unknown image format.");
        int c = image.Channels, w = image.Width, h = image.Height;
        if (c is not (1 or 3 or 4))
            throw new ArgumentException($"Cannot encode a {c}-channel image; expected 1 (gray), 3 (RGB) or 4 (RGBA) channels.", nameof(image));

        bool webp = format is ImageFormat.Webp or ImageFormat.WebpLossless;
        // Skia encodes Gray8 and 32-bit RGBA; 3 channels (and gray for WebP, alpha for JPEG) go through a copy.
        bool asIs = c == 4 && format != ImageFormat.Jpeg || c == 1 && !webp;
        byte[]? scratch = null;
        try
        {
            ReadOnlySpan<byte> pixels;
            SKImageInfo info;
            if (asIs)
            {
                pixels = image.Span;
                info = c == 1
                    ? new SKImageInfo(w, h, SKColorType.Gray8, SKAlphaType.Opaque)
                    : new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            }
            else
            {
                int length = checked(w * h * 4);
                scratch = ArrayPool<byte>.Shared.Rent(length);
                var rgba = scratch.AsSpan(0, length);
                if (c == 1) PixelConvert.GrayTo(image.Span, rgba, 4);
                else if (c == 3) PixelConvert.RgbToRgba(image.Span, rgba);
                else
                {
                    image.Span.CopyTo(rgba);
                    for (int i = 3; i < length; i += 4) rgba[i] = 255; // JPEG: drop alpha, no compositing
                }
                pixels = rgba;
                info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque);
            }

            fixed (byte* p = pixels)
            {
                using var pixmap = new SKPixmap(info, (IntPtr)p, info.RowBytes);
                var data = format switch
                {
                    ImageFormat.Png => pixmap.Encode(SKPngEncoderOptions.Default),
                    ImageFormat.Jpeg => pixmap.Encode(new SKJpegEncoderOptions(quality)),
                    ImageFormat.Webp => pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, quality)),
                    _ => pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, quality)),
                };
                return data ?? throw new MirageException($"The {format} encoder failed on a {image.Info} image.");
            }
        }
        finally
        {
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
