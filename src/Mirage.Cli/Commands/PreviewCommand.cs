using System.CommandLine;

namespace Mirage.Cli.Commands;

/// <summary>`mirage preview IMAGE --config CONFIG.json --out preview.png`: a grid of random variants of one photo.</summary>
public static class PreviewCommand
{
    public static Command Create()
    {
        var command = new Command("preview", "Write a grid of random augmented variants of one image.");
        command.SetAction(_ => CliErrors.Run(() => throw new NotImplementedException()));
        return command;
    }
}
