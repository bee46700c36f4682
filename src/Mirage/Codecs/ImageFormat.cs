namespace Mirage.Codecs;

/// <summary>
/// An image file format: what <see cref="ImageDecoder"/> reports reading (<see cref="ImageFileInfo.Format"/>, from the
/// file's signature) and what <see cref="ImageEncoder"/> writes (the save_format of Keras's flow methods; Keras's default
/// is png). The encoder writes <see cref="Png"/>, <see cref="Jpeg"/>, <see cref="Webp"/> and <see cref="WebpLossless"/>;
/// <see cref="Bmp"/>, <see cref="Gif"/>, <see cref="Pnm"/> and <see cref="Tiff"/> are read only. A WebP file is reported
/// as <see cref="Webp"/>, lossy or lossless.
/// </summary>
public enum ImageFormat
{
    /// <summary>PNG. Read: 8 and 16 bits (a 16-bit gray PNG is clipped at 255, as Pillow's mode I is). Written: lossless,
    /// 8 bits per channel; the quality argument is checked but has no effect.</summary>
    Png,
    /// <summary>JPEG. Read: baseline and progressive (libjpeg-turbo when the system has it, else SkiaSharp). Written:
    /// baseline, quality 1..100; alpha is dropped without compositing.</summary>
    Jpeg,
    /// <summary>WebP. Read: lossy or lossless. Written: lossy, quality 1..100.</summary>
    Webp,
    /// <summary>Lossless WebP (written only; read back as <see cref="Webp"/>); quality 1..100 is the compression effort
    /// (higher = smaller, slower).</summary>
    WebpLossless,
    /// <summary>Windows bitmap (read only).</summary>
    Bmp,
    /// <summary>GIF; only the first frame is read (read only).</summary>
    Gif,
    /// <summary>Netpbm: PBM, PGM, PPM, P1–P6 (read only).</summary>
    Pnm,
    /// <summary>Baseline TIFF: strips; none, PackBits, LZW or Deflate (read only).</summary>
    Tiff,
}
