namespace Mirage.Codecs;

/// <summary>Keras's color_mode: grayscale is Pillow's L = (19595·R + 38470·G + 7471·B + 0x8000) >> 16.</summary>
public enum ColorMode
{
    Grayscale,
    Rgb,
    Rgba,
}
