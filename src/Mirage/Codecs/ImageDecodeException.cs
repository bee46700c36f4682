namespace Mirage.Codecs;

/// <summary>A file that cannot be read as an image: names the file and says why.</summary>
public sealed class ImageDecodeException : MirageException
{
    public ImageDecodeException(string filePath, string reason, Exception? inner = null)
        : base($"Cannot read image '{filePath}': {reason}", inner)
    {
        FilePath = filePath;
        Reason = reason;
    }

    public string FilePath { get; }
    public string Reason { get; }
}
