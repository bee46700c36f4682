using System.CommandLine;

namespace Mirage.Cli.Commands;

/// <summary>`mirage apply IN OUT --params PARAMS.json`: explicit parameters on one image.</summary>
public static class ApplyCommand
{
    public static Command Create()
    {
        var command = new Command("apply", "Apply explicit transform parameters (Keras's get_random_transform dictionary) to one image.");
        command.SetAction(_ => CliErrors.Run(() => throw new NotImplementedException()));
        return command;
    }
}
