namespace Mirage;

/// <summary>Base of Mirage's own errors: each says what is wrong and what to do about it.</summary>
public class MirageException : Exception
{
    /// <summary>An error with a message that says what is wrong and what to do.</summary>
    /// <param name="message">Names the file or parameter, what is wrong with it, and the fix.</param>
    public MirageException(string message) : base(message) { }
    /// <summary>An error caused by <paramref name="inner"/>.</summary>
    /// <param name="message">Names the file or parameter, what is wrong with it, and the fix.</param>
    /// <param name="inner">The underlying exception, or null.</param>
    public MirageException(string message, Exception? inner) : base(message, inner) { }
}
