namespace Mirage.Imaging;

/// <summary>Shape of an image in height × width × channels (channels-last) order.</summary>
/// <remarks>The constructor does not validate (a <c>default</c> is 0×0×0); <see cref="Create"/> does, and every
/// <see cref="Image{T}"/> constructor does.</remarks>
/// <param name="Height">Rows (H), in pixels.</param>
/// <param name="Width">Columns (W), in pixels.</param>
/// <param name="Channels">Values per pixel (C): 1 grayscale, 3 RGB, 4 RGBA.</param>
public readonly record struct ImageInfo(int Height, int Width, int Channels)
{
    /// <summary>Number of values, Height × Width × Channels.</summary>
    /// <exception cref="OverflowException">The product does not fit in an <see cref="int"/>.</exception>
    public int Length => checked(Height * Width * Channels);

    /// <summary>A validated shape.</summary>
    /// <param name="height">Rows (H); at least 1.</param>
    /// <param name="width">Columns (W); at least 1.</param>
    /// <param name="channels">Values per pixel (C); at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is less than 1.</exception>
    public static ImageInfo Create(int height, int width, int channels)
    {
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, "Image height must be at least 1.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "Image width must be at least 1.");
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image needs at least 1 channel.");
        return new ImageInfo(height, width, channels);
    }

    /// <summary><c>HxWxC</c>, e.g. <c>224x224x3</c> (height first).</summary>
    public override string ToString() => $"{Height}x{Width}x{Channels}";
}
