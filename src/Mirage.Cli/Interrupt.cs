using System.Runtime.InteropServices;

namespace Mirage.Cli;

/// <summary>
/// Turns the first SIGINT (Ctrl-C) or SIGTERM into a cancellation, so a command stops between items, cleans up and
/// says how to resume (exit 130) instead of dying mid-write; a second signal kills the process as usual.
/// </summary>
internal sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration[] _registrations;

    public Interrupt()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>"SIGINT (Ctrl-C)" or "SIGTERM" once a signal arrived.</summary>
    public string Signal { get; private set; } = "a signal";

    private void Handle(PosixSignalContext context)
    {
        if (_cts.IsCancellationRequested) return; // the second one: default handling ends the process
        context.Cancel = true;
        Signal = context.Signal == PosixSignal.SIGINT ? "SIGINT (Ctrl-C)" : "SIGTERM";
        _cts.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cts.Dispose();
    }
}

/// <summary>A command stopped by <see cref="Interrupt"/>: its message says how to resume; the exit code is 130.</summary>
internal sealed class Interrupted(string message) : Exception(message)
{
    public const int ExitCode = 130;
}
