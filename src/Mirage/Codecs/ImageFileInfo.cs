namespace Mirage.Codecs;

/// <summary>The encoded formats <see cref="ImageDecoder"/> reads.</summary>
public enum ImageFileFormat
{
    /// <summary>PNG (8- and 16-bit; a 16-bit gray PNG is clipped at 255, as Pillow's mode I is).</summary>
    Png,
    /// <summary>JPEG (baseline and progressive; decoded by libjpeg-turbo when the system has it, else SkiaSharp).</summary>
    Jpeg,
    /// <summary>Windows bitmap.</summary>
    Bmp,
    /// <summary>WebP, lossy or lossless.</summary>
    Webp,
    /// <summary>GIF; only the first frame is read.</summary>
    Gif,
    /// <summary>Netpbm: PBM, PGM, PPM (P1–P6).</summary>
    Pnm,
    /// <summary>Baseline TIFF (strips; none, PackBits, LZW or Deflate).</summary>
    Tiff,
}

/// <summary>
/// What a file's header says, read without decoding pixels. <see cref="Width"/> and <see cref="Height"/> are the
/// stored size (what Keras sees); <see cref="Orientation"/> is the EXIF orientation (1 = none, 1..8).
/// </summary>
/// <param name="Width">Stored width in pixels, before any EXIF orientation.</param>
/// <param name="Height">Stored height in pixels, before any EXIF orientation.</param>
/// <param name="Format">The encoded format, from the file's signature (not its extension).</param>
/// <param name="Orientation">EXIF orientation 1..8; 1 (no change) when the file has none.</param>
/// <param name="HasAlpha">Whether the stored pixels may carry transparency (not whether any pixel is transparent).</param>
/// <param name="IsGrayscale">Whether the file stores one gray channel (always false for PNM and TIFF, whose headers
/// are read by Mirage's own decoders).</param>
public readonly record struct ImageFileInfo(
    int Width,
    int Height,
    ImageFileFormat Format,
    int Orientation,
    bool HasAlpha,
    bool IsGrayscale)
{
    /// <summary>True for EXIF orientations 5..8, which swap width and height when applied.</summary>
    public bool OrientationSwapsAxes => Orientation >= 5;

    /// <summary>Width in pixels as a viewer shows the image (after the EXIF orientation): the width
    /// <see cref="ImageDecoder.Decode(string, ColorMode, bool, long)"/> gives with applyOrientation.</summary>
    public int OrientedWidth => OrientationSwapsAxes ? Height : Width;
    /// <summary>Height in pixels as a viewer shows the image (after the EXIF orientation).</summary>
    public int OrientedHeight => OrientationSwapsAxes ? Width : Height;
}
