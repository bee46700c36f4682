namespace Mirage.Generation;

/// <summary>An ImageDataGenerator option (or JSON config entry) that Keras or Mirage cannot accept.</summary>
public sealed class InvalidOptionException : MirageException
{
    public InvalidOptionException(string option, string message) : base(message) => Option = option;

    /// <summary>Keras's snake_case name of the offending option (or the unknown key).</summary>
    public string Option { get; }
}
