using System.Text.Json;

namespace Mirage.Cli;

/// <summary>Turns expected failures (bad input, bad options, unreadable files) into one clear line and exit code 1.</summary>
public static class CliErrors
{
    public static int Run(Action body)
    {
        try
        {
            body();
            return 0;
        }
        catch (Exception e) when (e is MirageException or FormatException or ArgumentException or IOException
                                      or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            Console.Error.WriteLine($"mirage: error: {e.Message}");
            return 1;
        }
    }
}
