using System.Runtime.CompilerServices;
using Mirage.Imaging;

namespace Mirage.Codecs;

/// <summary>Channel conversions between decoded buffers and Keras's color modes, matching Pillow's convert().</summary>
internal static class PixelConvert
{
    /// <summary>
    /// An image in Keras's <paramref name="mode"/> from interleaved 8-bit pixels of 1 (L), 3 (RGB) or 4 (RGBA)
    /// channels, converted as Pillow's convert() does.
    /// </summary>
    public static Image<byte> ToMode(ReadOnlySpan<byte> pixels, int channels, int height, int width, ColorMode mode)
    {
        int outChannels = Channels(mode);
        var image = new Image<byte>(height, width, outChannels);
        Convert(pixels, channels, image.Span, outChannels);
        return image;
    }

    /// <summary>Channels of Keras's <paramref name="mode"/>: 1, 3 or 4.</summary>
    public static int Channels(ColorMode mode) => mode switch { ColorMode.Grayscale => 1, ColorMode.Rgb => 3, _ => 4 };

    /// <summary><see cref="ToMode"/> into <paramref name="dst"/> (as many pixels as it holds), e.g. one row at a time.</summary>
    public static void Convert(ReadOnlySpan<byte> pixels, int channels, Span<byte> dst, int outChannels)
    {
        if (channels == outChannels) pixels[..dst.Length].CopyTo(dst);
        else if (channels == 1) GrayTo(pixels, dst, outChannels);
        else if (outChannels == 1) ColorToL(pixels, dst, channels);
        else if (channels == 4) RgbaToRgb(pixels, dst);
        else RgbToRgba(pixels, dst);
    }

    /// <summary>
    /// Pillow's L: (19595·R + 38470·G + 7471·B + 0x8000) >> 16 from interleaved RGB (3) or RGBA (4) pixels;
    /// alpha is ignored, not composited.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColorToL(ReadOnlySpan<byte> color, Span<byte> gray, int channels = 4)
    {
        int n = color.Length / channels;
        if (gray.Length < n) throw new ArgumentException("Destination is too short.", nameof(gray));
        for (int i = 0, s = 0; i < n; i++, s += channels)
            gray[i] = (byte)((19595 * color[s] + 38470 * color[s + 1] + 7471 * color[s + 2] + 0x8000) >> 16);
    }

    /// <summary>Drops alpha without compositing (Pillow's RGBA → RGB).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RgbaToRgb(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        int n = rgba.Length / 4;
        if (rgb.Length < n * 3) throw new ArgumentException("Destination is too short.", nameof(rgb));
        for (int i = 0, s = 0, d = 0; i < n; i++, s += 4, d += 3)
        {
            rgb[d] = rgba[s];
            rgb[d + 1] = rgba[s + 1];
            rgb[d + 2] = rgba[s + 2];
        }
    }

    /// <summary>Expands or drops channels to 4 with alpha 255 (RGB → RGBX) for encoders that take 32-bit pixels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RgbToRgba(ReadOnlySpan<byte> rgb, Span<byte> rgba)
    {
        int n = rgb.Length / 3;
        if (rgba.Length < n * 4) throw new ArgumentException("Destination is too short.", nameof(rgba));
        for (int i = 0, s = 0, d = 0; i < n; i++, s += 3, d += 4)
        {
            rgba[d] = rgb[s];
            rgba[d + 1] = rgb[s + 1];
            rgba[d + 2] = rgb[s + 2];
            rgba[d + 3] = 255;
        }
    }

    /// <summary>Replicates gray into 1, 3 or 4 channels (alpha 255), as Pillow's L → RGB / RGBA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GrayTo(ReadOnlySpan<byte> gray, Span<byte> dst, int channels)
    {
        if (dst.Length < gray.Length * channels) throw new ArgumentException("Destination is too short.", nameof(dst));
        switch (channels)
        {
            case 1:
                gray.CopyTo(dst);
                break;
            case 3:
                for (int i = 0, d = 0; i < gray.Length; i++, d += 3)
                    dst[d] = dst[d + 1] = dst[d + 2] = gray[i];
                break;
            case 4:
                for (int i = 0, d = 0; i < gray.Length; i++, d += 4)
                {
                    dst[d] = dst[d + 1] = dst[d + 2] = gray[i];
                    dst[d + 3] = 255;
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(channels), channels, "Expected 1, 3 or 4 channels.");
        }
    }
}
