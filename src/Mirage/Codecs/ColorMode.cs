namespace Mirage.Codecs;

/// <summary>Keras's color_mode: grayscale is Pillow's L = (19595·R + 38470·G + 7471·B + 0x8000) >> 16.</summary>
public enum ColorMode
{
    /// <summary>Keras <c>"grayscale"</c>: 1 channel. A gray source is kept as stored; colour is reduced with
    /// Pillow's L formula (alpha is dropped, not composited).</summary>
    Grayscale,
    /// <summary>Keras <c>"rgb"</c> (the default): 3 channels, R, G, B; alpha is dropped without compositing.</summary>
    Rgb,
    /// <summary>Keras <c>"rgba"</c>: 4 channels with straight (unpremultiplied) alpha; an opaque source gets alpha
    /// 255.</summary>
    Rgba,
}
