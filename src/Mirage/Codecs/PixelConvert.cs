namespace Mirage.Codecs;

/// <summary>Colour conversions with Pillow's exact integer arithmetic, so decoded arrays match Keras's load_img.</summary>
internal static class PixelConvert
{
    /// <summary>Pillow's convert('L'): L = (19595·R + 38470·G + 7471·B + 0x8000) >> 16.</summary>
    public static void RgbToLuma(ReadOnlySpan<byte> rgb, Span<byte> luma, int srcChannels = 3)
    {
        for (int i = 0, j = 0; j < luma.Length; i += srcChannels, j++)
            luma[j] = (byte)((19595 * rgb[i] + 38470 * rgb[i + 1] + 7471 * rgb[i + 2] + 0x8000) >> 16);
    }
}
