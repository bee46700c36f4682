namespace Mirage.Generation;

/// <summary>An ImageDataGenerator option (or JSON config entry) that Keras or Mirage cannot accept.</summary>
public sealed class InvalidOptionException : MirageException
{
    /// <summary>An error about one option.</summary>
    /// <param name="option">Keras's snake_case name of the option (or the unknown key), e.g. <c>rotation_range</c>.</param>
    /// <param name="message">The whole message: names the option, says what is wrong and what to do.</param>
    public InvalidOptionException(string option, string message) : base(message) => Option = option;

    /// <summary>Keras's snake_case name of the offending option (or the unknown key).</summary>
    public string Option { get; }
}
