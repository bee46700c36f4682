namespace Mirage.Codecs;

/// <summary>The encoded formats <see cref="ImageDecoder"/> reads.</summary>
public enum ImageFileFormat
{
    Png,
    Jpeg,
    Bmp,
    Webp,
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

    public int OrientedWidth => OrientationSwapsAxes ? Height : Width;
    public int OrientedHeight => OrientationSwapsAxes ? Width : Height;
}
