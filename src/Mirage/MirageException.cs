namespace Mirage;

/// <summary>Base of Mirage's own errors: each says what is wrong and what to do about it.</summary>
public class MirageException : Exception
{
    public MirageException(string message) : base(message) { }
    public MirageException(string message, Exception? inner) : base(message, inner) { }
}
