namespace Mirage.Codecs;

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
    ImageFormat Format,
    int Orientation,
    bool HasAlpha,
    bool IsGrayscale)
{
    /// <summary>True for EXIF orientations 5..8, which swap width and height when applied.</summary>
    public bool OrientationSwapsAxes => Orientation >= 5;

    /// <summary>Width in pixels as a viewer shows the image (after the EXIF orientation): the width
    /// <see cref="ImageDecoder.Decode(string, ColorMode, bool, long, MirageConfiguration)"/> gives with applyOrientation.</summary>
    public int OrientedWidth => OrientationSwapsAxes ? Height : Width;
    /// <summary>Height in pixels as a viewer shows the image (after the EXIF orientation).</summary>
    public int OrientedHeight => OrientationSwapsAxes ? Width : Height;
}
