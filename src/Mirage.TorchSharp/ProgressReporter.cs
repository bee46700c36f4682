using System.Globalization;
using Spectre.Console;

namespace Mirage.TorchSharp;

/// <summary>Keras-style progress: a Spectre.Console bar per epoch (ETA, running loss) on a terminal, plain lines otherwise.</summary>
internal sealed class ProgressReporter
{
    private readonly ProgressMode _mode;
    private readonly TextWriter _log;
    private readonly IAnsiConsole _console;
    private readonly int _epochs, _steps;
    private ProgressContext? _context;
    private ProgressTask? _task;

    public ProgressReporter(FitOptions options, int steps)
    {
        _epochs = options.Epochs;
        _steps = steps;
        _log = options.Log ?? Console.Out;
        _console = options.Console ?? AnsiConsole.Console;
        _mode = options.Progress != ProgressMode.Auto ? options.Progress
            : options.Log is null && _console.Profile.Capabilities.Interactive && (options.Console is not null || !Console.IsOutputRedirected) ? ProgressMode.Bar
            : ProgressMode.Lines;
    }

    /// <summary>Runs <paramref name="train"/> inside the live display when there is one.</summary>
    public void Run(Action train)
    {
        if (_mode != ProgressMode.Bar)
        {
            train();
            return;
        }
        _console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                _context = ctx;
                train();
            });
    }

    private string Title(int epoch) => $"Epoch {epoch + 1}/{_epochs}";

    public void EpochBegin(int epoch)
    {
        if (_context is not null) _task = _context.AddTask(Title(epoch), maxValue: _steps);
    }

    public void Step(int epoch, int step, double runningLoss)
    {
        if (_task is null) return;
        _task.Description = Markup.Escape(Title(epoch) + string.Create(CultureInfo.InvariantCulture, $" · {step}/{_steps} · loss {runningLoss:F4}"));
        _task.Value = step;
    }

    public void EpochEnd(EpochRecord record)
    {
        var line = $"{Title(record.Epoch)} · {record.Steps} steps · {record}";
        switch (_mode)
        {
            case ProgressMode.Lines:
                _log.WriteLine(line);
                _log.Flush();
                break;
            case ProgressMode.Bar when _task is not null:
                _task.Description = Markup.Escape(line);
                _task.Value = _task.MaxValue;
                _task.StopTask();
                break;
        }
    }
}
