using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using Mirage.Codecs;

namespace Mirage.Cli;

/// <summary>
/// Turns expected failures (bad input, bad options, unreadable files) into ONE line on stderr — what is wrong, with the
/// option or file named, and what to do — and exit code 1. No type names, no stack traces, no help dump.
/// </summary>
public static class CliErrors
{
    /// <summary>Runs <paramref name="body"/> and turns an expected failure into one "mirage: error:" line on stderr; returns the exit code (0, or 1 on such a failure).</summary>
    public static int Run(Action body) => Run(Console.Error, body);

    /// <summary>As <see cref="Run(Action)"/>, writing the error line to <paramref name="errors"/>.</summary>
    /// <param name="errors">Where the one-line error goes (stderr in the CLI, a StringWriter in tests).</param>
    /// <param name="body">The command's work.</param>
    /// <param name="onErrorHint">The command has --on-error: a decode failure says how to skip such files.</param>
    public static int Run(TextWriter errors, Action body, bool onErrorHint = false)
    {
        try
        {
            body();
            return 0;
        }
        catch (Interrupted e)
        {
            errors.WriteLine($"mirage: {e.Message}");
            return Interrupted.ExitCode;
        }
        catch (Exception e) when (e is MirageException or FormatException or ArgumentException or IOException
                                      or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            string message = OneLine(e);
            if (onErrorHint && e is ImageDecodeException)
                message += " To leave unreadable files out (and list them at the end), add --on-error skip.";
            errors.WriteLine($"mirage: error: {message}");
            return 1;
        }
    }

    /// <summary>The message on one line, without .NET's "(Parameter 'x')" and "Actual value was …" suffixes.</summary>
    public static string OneLine(Exception e)
    {
        string m = e.Message;
        if (e is ArgumentOutOfRangeException { ActualValue: { } actual })
            m = m.Replace($"{Environment.NewLine}Actual value was {actual}.", "");
        if (e is ArgumentException { ParamName: { } param })
            m = m.Replace($" (Parameter '{param}')", "");
        return string.Join(" ", m.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>
    /// A parse error (unknown option, missing value, a value of the wrong kind) as one line naming the option and what
    /// it accepts, and where to read more; System.CommandLine's own text names .NET types and prints the whole help.
    /// </summary>
    public static string Describe(ParseError error, ParseResult parse)
    {
        string help = $"see 'mirage {parse.CommandResult.Command.Name} --help'.";
        if (parse.CommandResult.Command is RootCommand) help = "see 'mirage --help'.";
        var option = error.SymbolResult switch
        {
            OptionResult o => o,
            ArgumentResult { Parent: OptionResult o } => o,
            _ => null,
        };
        if (option is not null && option.Tokens.Count > 0 && Expectation(option.Option.ValueType) is { } expected)
            return $"{option.Option.Name}: '{option.Tokens[0].Value}' is not {expected}; {help}";
        if (error.SymbolResult is ArgumentResult { Argument: var argument } && argument.ValueType != typeof(string)
            && Expectation(argument.ValueType) is { } expectedArgument)
            return $"{argument.Name}: expected {expectedArgument}; {help}";
        string text = string.Join(" ", error.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return $"{text.TrimEnd('.')}; {help}";
    }

    private static string? Expectation(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(ulong)) return "a whole number from 0 to 18446744073709551615";
        if (type == typeof(int)) return "a whole number";
        if (type == typeof(float) || type == typeof(double)) return "a number (use '.' for decimals)";
        if (type == typeof(bool)) return "true or false";
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()));
        return null;
    }
}
