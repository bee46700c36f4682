using Mirage.Codecs;

namespace Mirage.Data;

/// <summary>What to do with a file that cannot be read as an image (corrupt, truncated, empty, not an image).</summary>
public enum BadFilePolicy
{
    /// <summary>Stop: the error names the file and the reason (the default; nothing fails silently).</summary>
    Throw,
    /// <summary>Leave the sample out of its batch, log it, count it and report it at the end of the epoch.</summary>
    Skip,
}

/// <summary>A file left out under <see cref="BadFilePolicy.Skip"/>: which one, why, and in which epoch.</summary>
/// <param name="Path">The file, as the source names it.</param>
/// <param name="Reason">Why it could not be read (<see cref="Codecs.ImageDecodeException.Reason"/>).</param>
/// <param name="Index">The sample's position in the source.</param>
/// <param name="Epoch">The epoch in which it failed (0 for an augment run or a statistics pass).</param>
public sealed record BadFile(string Path, string Reason, int Index, int Epoch);

/// <summary>What happened in one epoch, raised when its last batch has been handed out.</summary>
/// <param name="Epoch">The epoch, from 0.</param>
/// <param name="Batches">Batches handed out in the epoch.</param>
/// <param name="Samples">Samples in those batches (skipped files not counted).</param>
/// <param name="Skipped">Files left out in the epoch, in index order.</param>
public sealed record EpochSummary(int Epoch, int Batches, int Samples, IReadOnlyList<BadFile> Skipped)
{
    /// <summary>One line for a log: counts, and each skipped file with its reason.</summary>
    public override string ToString() => Skipped.Count == 0
        ? $"epoch {Epoch}: {Samples} samples in {Batches} batches"
        : $"epoch {Epoch}: {Samples} samples in {Batches} batches; skipped {Skipped.Count} unreadable file(s): " +
          string.Join("; ", Skipped.Select(b => $"{b.Path} ({b.Reason})"));
}

internal static class BadFiles
{
    /// <summary>True for the failures that mean "this input is bad" rather than "Mirage is broken".</summary>
    public static bool IsBadInput(Exception e) =>
        e is ImageDecodeException or IOException or UnauthorizedAccessException or InvalidDataException;

    /// <summary>Wraps any bad-input failure so the message names the file and says why.</summary>
    public static ImageDecodeException Describe(Exception e, string path) => e switch
    {
        ImageDecodeException d => d,
        FileNotFoundException => new ImageDecodeException(path, "the file does not exist", e),
        UnauthorizedAccessException => new ImageDecodeException(path, "permission denied", e),
        _ => new ImageDecodeException(path, e.Message, e),
    };
}
