namespace Mirage.Imaging;

/// <summary>Shape of an image in height × width × channels (channels-last) order.</summary>
public readonly record struct ImageInfo(int Height, int Width, int Channels)
{
    public int Length => checked(Height * Width * Channels);

    public static ImageInfo Create(int height, int width, int channels)
    {
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, "Image height must be at least 1.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "Image width must be at least 1.");
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image needs at least 1 channel.");
        return new ImageInfo(height, width, channels);
    }

    public override string ToString() => $"{Height}x{Width}x{Channels}";
}
