namespace Mirage.Codecs;

/// <summary>A file that cannot be read as an image: names the file and says why.</summary>
public sealed class ImageDecodeException : MirageException
{
    /// <summary>An error whose message is <c>Cannot read image '{filePath}': {reason}</c>.</summary>
    /// <param name="filePath">The file (or, for in-memory data, the source name) that failed.</param>
    /// <param name="reason">What is wrong, in lower case without a final full stop, e.g. <c>empty file (0 bytes)</c>.</param>
    /// <param name="inner">The underlying exception (an <see cref="IOException"/>, a codec error), or null.</param>
    public ImageDecodeException(string filePath, string reason, Exception? inner = null)
        : base($"Cannot read image '{filePath}': {reason}", inner)
    {
        FilePath = filePath;
        Reason = reason;
    }

    /// <summary>The file that failed, as the caller named it (not made absolute).</summary>
    public string FilePath { get; }
    /// <summary>Why it failed (the message without the file name), e.g. <c>truncated: only 12 of 40 rows decoded</c>.</summary>
    public string Reason { get; }
}
