using System.CommandLine;
using Mirage.Cli.Commands;

namespace Mirage.Cli;

/// <summary>The `mirage` command: one subcommand per file under Commands/.</summary>
public static class MirageCli
{
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

    public static int Run(string[] args) => BuildRoot().Parse(args).Invoke();
}
