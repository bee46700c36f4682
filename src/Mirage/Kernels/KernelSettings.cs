using Mirage.Kernels.Geometric;

namespace Mirage.Kernels;

/// <summary>
/// How the kernels run, never what they compute: the vector path (<see cref="Path"/>), the byte warp's band rows and
/// tile width, and whether it prefetches its source. Made once per call from a <see cref="MirageConfiguration"/>
/// (<see cref="Of"/>) and passed down by value: kernels read no global or per-thread setting.
/// </summary>
/// <param name="Path">Which code the warp (and the conversions beside it) may take.</param>
/// <param name="BandRows">Output rows per band of the byte warp; clamped to 1..32 by the warp.</param>
/// <param name="TileWidth">Columns per tile of a band; 0 for whole rows.</param>
/// <param name="PrefetchSource">Sweep a small source into cache before the warp (benchmarks switch it off to measure it).</param>
internal readonly record struct KernelSettings(WarpPath Path, int BandRows, int TileWidth, bool PrefetchSource = true)
{
    /// <summary>What <see cref="MirageConfiguration.Default"/> gives (its band and tile defaults are the one source).</summary>
    public static readonly KernelSettings Default = Of(MirageConfiguration.Default);

    /// <summary>False for the scalar path: what kernels with a <c>vectorized</c> switch take.</summary>
    public bool Vectorized => Path != WarpPath.Scalar;

    /// <summary>The defaults on <paramref name="path"/> (tests and benchmarks force the narrower paths this way).</summary>
    public static KernelSettings For(WarpPath path) => Default with { Path = path };

    /// <summary>The kernel settings of <paramref name="configuration"/> (null: the default configuration).</summary>
    public static KernelSettings Of(MirageConfiguration? configuration)
    {
        var c = configuration ?? MirageConfiguration.Default;
        var path = c.SimdLevel switch
        {
            SimdLevel.Scalar => WarpPath.Scalar,
            SimdLevel.Vector128 => WarpPath.Vector128,
            _ => WarpPath.Vector256, // Auto and Vector256: the widest available
        };
        return new KernelSettings(path, c.WarpBandRows, c.WarpTileWidth);
    }
}
