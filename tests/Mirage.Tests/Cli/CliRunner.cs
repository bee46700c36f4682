using Mirage.Cli;

namespace Mirage.Tests.Cli;

/// <summary>Runs the `mirage` command in-process and captures what it prints. Console is global: tests using this share one collection.</summary>
public static class CliRunner
{
    public const string Collection = "Console-redirecting CLI tests";

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            int exit = MirageCli.Run(args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    public static string TempFolder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mirage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>samples/ at the repository root (the bundled photos).</summary>
    public static string Sample(string name) =>
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "samples", name));
}

[CollectionDefinition(CliRunner.Collection, DisableParallelization = true)]
public sealed class CliCollection;
