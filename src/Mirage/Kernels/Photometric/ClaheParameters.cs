namespace Mirage.Kernels.Photometric;

/// <summary>
/// scikit-image's <c>equalize_adapthist(image, kernel_size, clip_limit, nbins)</c> arguments, with its defaults:
/// <c>new ClaheParameters()</c> is clip limit 0.01, kernel 1/8 of each side, 256 bins. <c>default(ClaheParameters)</c>
/// has 0 bins and fails validation (a zeroed struct must not pass for "no clipping").
/// </summary>
public readonly record struct ClaheParameters
{
    /// <summary>scikit-image's defaults: clip_limit 0.01, kernel_size 1/8 of each side, nbins 256.</summary>
    public ClaheParameters() { }

    /// <summary>Clipping limit normalised to [0, 1] (times the kernel's pixel count); 0 or ≥ 1 = no clipping (plain AHE).</summary>
    public double ClipLimit { get; init; } = 0.01;

    /// <summary>Contextual region height in pixels; 0 = max(height / 8, 1), scikit-image's default.</summary>
    public int KernelHeight { get; init; }

    /// <summary>Contextual region width in pixels; 0 = max(width / 8, 1), scikit-image's default.</summary>
    public int KernelWidth { get; init; }

    /// <summary>Histogram bins ("data range"); scikit-image's default is 256.</summary>
    public int NBins { get; init; } = 256;

    /// <summary>Most bins accepted: 4 × the 14-bit gray levels CLAHE works on is already far past any use.</summary>
    public const int MaxBins = 1 << 16;

    /// <summary>The kernel size used for an image of this size (defaults resolved).</summary>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <returns>The contextual region (height, width) in pixels, each ≥ 1.</returns>
    public (int Height, int Width) KernelFor(int height, int width) =>
        (KernelHeight > 0 ? KernelHeight : Math.Max(height / 8, 1), KernelWidth > 0 ? KernelWidth : Math.Max(width / 8, 1));

    /// <summary>Throws an <see cref="ArgumentException"/> naming the parameter (prefixed by <paramref name="source"/>) when invalid.</summary>
    /// <param name="source">Starts the error message (e.g. the option or file the parameters came from).</param>
    /// <returns>This value, unchanged, so calls chain.</returns>
    /// <exception cref="ArgumentException">clip_limit is negative or not finite, a kernel side is negative, or nbins is
    /// outside 1..<see cref="MaxBins"/>.</exception>
    public ClaheParameters Validate(string source = "CLAHE")
    {
        if (!double.IsFinite(ClipLimit) || ClipLimit < 0)
            throw new ArgumentException($"{source}: clip_limit must be a finite number ≥ 0 (0.01 is scikit-image's default; 0 means no clipping); got {ClipLimit}.");
        if (KernelHeight < 0 || KernelWidth < 0)
            throw new ArgumentException($"{source}: kernel_size must be ≥ 1 pixel on each side (or left out for 1/8 of the image); got {KernelHeight}×{KernelWidth}.");
        if (NBins is < 1 or > MaxBins)
            throw new ArgumentException($"{source}: nbins must be between 1 and {MaxBins} (256 is scikit-image's default); got {NBins}.");
        return this;
    }
}
