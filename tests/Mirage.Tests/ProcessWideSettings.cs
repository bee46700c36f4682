namespace Mirage.Tests;

/// <summary>
/// Tests that change a process-wide kernel setting (WarpAffine.BandRows/TileWidth, ...) run in this collection, which
/// xunit runs alone after the parallel ones, until those settings move into a configuration object (issue 7).
/// Settings that are per thread (JpegEighthDecoder.Enabled, SaveToDirWriter.Encode, TurboJpeg.t_hiddenForTests) or
/// per iterator (DisableFusedPath) do not need it.
/// </summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class ProcessWideSettings
{
    public const string Collection = "Process-wide settings";
}
