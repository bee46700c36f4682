using System.CommandLine;
using Mirage.Cli.Commands;

namespace Mirage.Cli;

/// <summary>The `mirage` command: one subcommand per file under Commands/.</summary>
public static class MirageCli
{
    /// <summary>The root `mirage` command with every subcommand registered.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Mirage: fast, deterministic, Keras-compatible image data augmentation for .NET.");
        foreach (var command in new[]
                 {
                     ApplyCommand.Create(),
                     PreviewCommand.Create(),
                     AugmentCommand.Create(),
                     StatsCommand.Create(),
                     ClaheCommand.Create(),
                     TransformsCommand.Create(),
                     FlowBenchCommand.Create(),
                     BenchCommand.Create(),
                     ExperimentCommand.Create(),
                 })
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Runs the command; a command line that does not parse gets one error line and exit code 1.</summary>
    public static int Run(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        if (args.Length == 0 || parse.Errors.Count == 0) return parse.Invoke(); // no arguments: the help
        Console.Error.WriteLine($"mirage: error: {CliErrors.Describe(parse.Errors[0], parse)}");
        return 1;
    }
}
