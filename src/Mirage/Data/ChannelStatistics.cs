using Mirage.Codecs;
using Mirage.Imaging;

namespace Mirage.Data;

/// <summary>
/// Per-channel mean and (population) standard deviation of 8-bit pixels, accumulated exactly: integer sums and sums of
/// squares, so the result does not depend on the order images are added or on how many threads add them.
/// Keras's featurewise statistics (np.mean / np.std over the batch, row and column axes) without holding the data.
/// </summary>
/// <remarks>Thread-safe: <see cref="Add"/> and <see cref="Merge"/> may run on several threads at once.</remarks>
public sealed class ChannelStatistics
{
    private readonly long[] _sum;
    private readonly Int128[] _sumSquares;

    /// <summary>Empty statistics for images of <paramref name="channels"/> channels.</summary>
    /// <param name="channels">Channels per pixel; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is less than 1.</exception>
    public ChannelStatistics(int channels)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "At least one channel.");
        _sum = new long[channels];
        _sumSquares = new Int128[channels];
    }

    /// <summary>Channels per pixel, as constructed.</summary>
    public int Channels => _sum.Length;
    /// <summary>Pixels seen per channel.</summary>
    public long Pixels { get; private set; }
    /// <summary>Images added (merged statistics included).</summary>
    public long Images { get; private set; }

    /// <summary>Adds every pixel of <paramref name="image"/>.</summary>
    /// <param name="image">An 8-bit image with <see cref="Channels"/> channels, any size; not kept.</param>
    /// <exception cref="ArgumentException">The channel count differs.</exception>
    public void Add(Image<byte> image)
    {
        if (image.Channels != Channels) throw new ArgumentException($"Expected {Channels} channels, got {image.Channels}.", nameof(image));
        Span<long> sum = stackalloc long[Channels];
        Span<long> squares = stackalloc long[Channels];
        var s = image.Span;
        int c = Channels;
        // Per image: at most 2^31 pixels × 255² fits a long.
        for (int i = 0; i < s.Length; i += c)
            for (int k = 0; k < c; k++)
            {
                int v = s[i + k];
                sum[k] += v;
                squares[k] += v * v;
            }
        lock (_sum)
        {
            for (int k = 0; k < c; k++)
            {
                _sum[k] += sum[k];
                _sumSquares[k] += squares[k];
            }
            Pixels += image.Height * (long)image.Width;
            Images++;
        }
    }

    /// <summary>Adds <paramref name="other"/>'s sums to these (e.g. statistics gathered per worker).</summary>
    /// <param name="other">Statistics with the same channel count; not changed (do not add to it meanwhile).</param>
    /// <exception cref="ArgumentException">The channel counts differ.</exception>
    public void Merge(ChannelStatistics other)
    {
        if (other.Channels != Channels) throw new ArgumentException("Channel counts differ.", nameof(other));
        lock (_sum)
        {
            for (int k = 0; k < Channels; k++)
            {
                _sum[k] += other._sum[k];
                _sumSquares[k] += other._sumSquares[k];
            }
            Pixels += other.Pixels;
            Images += other.Images;
        }
    }

    /// <summary>Per-channel mean on the 0..255 scale; NaN for every channel when nothing was added. A new array each call.</summary>
    public double[] Mean => Enumerable.Range(0, Channels).Select(k => Pixels == 0 ? double.NaN : (double)_sum[k] / Pixels).ToArray();

    /// <summary>Population standard deviation (numpy's default ddof = 0, as Keras's fit uses).</summary>
    /// <remarks>Per channel, on the 0..255 scale; NaN when nothing was added. A new array each call.</remarks>
    public double[] Std => Enumerable.Range(0, Channels).Select(k =>
    {
        if (Pixels == 0) return double.NaN;
        // n²·var = n·Σx² − (Σx)², exact in integers.
        Int128 n = Pixels, s = _sum[k];
        Int128 scaled = n * _sumSquares[k] - s * s;
        return Math.Sqrt((double)scaled / ((double)Pixels * Pixels));
    }).ToArray();
}

/// <summary>Featurewise statistics of a folder tree, computed by streaming over its images (Keras's fit needs them all in memory).</summary>
/// <param name="Mean">Per-channel mean of the raw pixels (0..255).</param>
/// <param name="Std">Per-channel population standard deviation of the raw pixels.</param>
/// <param name="Images">Images read.</param>
/// <param name="Pixels">Pixels per channel read.</param>
/// <param name="Skipped">Files left out under <see cref="BadFilePolicy.Skip"/>, in listing order.</param>
public sealed record FeaturewiseStatistics(double[] Mean, double[] Std, long Images, long Pixels, IReadOnlyList<BadFile> Skipped)
{
    /// <summary>Sets the generator's Mean and Std (featurewise_center / featurewise_std_normalization). The statistics
    /// are of raw 0..255 pixels; they are multiplied by the generator's rescale, as its own Fit measures rescaled images.</summary>
    /// <param name="generator">The generator to load; its Mean and Std are replaced.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is null.</exception>
    /// <exception cref="MirageException">No image was read.</exception>
    public void LoadInto(Generation.ImageDataGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (Images == 0) throw new MirageException("No image was read, so there are no statistics to load.");
        double scale = generator.Options.Rescale is { } r && r != 0 ? r : 1;
        generator.Mean = Mean.Select(m => (float)(m * scale)).ToArray();
        generator.Std = Std.Select(s => (float)(s * Math.Abs(scale))).ToArray();
    }

    /// <summary>Walks <paramref name="directory"/> recursively (Keras's extensions), decoding each image in <paramref name="colorMode"/>
    /// and, when <paramref name="targetSize"/> is set, resizing it first (so the statistics match what flow_from_directory feeds).</summary>
    /// <param name="directory">The folder to walk; every file with an image extension below it counts.</param>
    /// <param name="targetSize">(height, width) to resize to first, or null to measure images at their own size.</param>
    /// <param name="colorMode">Keras's color_mode; fixes the channel count.</param>
    /// <param name="workers">Decoding threads; 0 uses every processor.</param>
    /// <param name="onBadFile">Throw on an unreadable file (the default) or skip and report it.</param>
    /// <param name="followLinks">Descend into symbolic links to folders (cycles are skipped).</param>
    /// <param name="log">Receives skipped files and link cycles, or null.</param>
    /// <param name="decoder">A thread-safe custom decoder, or null for <see cref="ImageDecoder"/>.</param>
    /// <param name="interpolation">The resize filter (Keras's default nearest).</param>
    /// <param name="progress">Called with (done, total) after each image, from worker threads; or null.</param>
    /// <param name="maxPixels">Decompression-bomb limit; at least 1.</param>
    /// <returns>Exact statistics, independent of the worker count.</returns>
    /// <exception cref="ArgumentException"><paramref name="maxPixels"/> is below 1 or the target size is invalid.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="ImageDecodeException">A file is unreadable and <paramref name="onBadFile"/> is Throw.</exception>
    public static FeaturewiseStatistics OfDirectory(string directory, (int Height, int Width)? targetSize = null, ColorMode colorMode = ColorMode.Rgb,
        int workers = 0, BadFilePolicy onBadFile = BadFilePolicy.Throw, bool followLinks = false, TextWriter? log = null,
        Func<string, ColorMode, Image<byte>>? decoder = null, Kernels.Geometric.ResizeInterpolation interpolation = Kernels.Geometric.ResizeInterpolation.Nearest,
        Action<int, int>? progress = null, long maxPixels = ImageDecoder.DefaultMaxPixels)
    {
        ImageLoadOptions.CheckMaxPixels(maxPixels);
        if (targetSize is { } size) ImageLoadOptions.CheckTargetSize(size, maxPixels);
        var files = ImageFiles.Enumerate(directory, followLinks, ImageFiles.LogCycles(log));
        var stats = new ChannelStatistics(ImageLoadOptions.ChannelsOf(colorMode));
        var skipped = new System.Collections.Concurrent.ConcurrentBag<BadFile>();
        int done = 0;
        var po = new ParallelOptions { MaxDegreeOfParallelism = workers > 0 ? workers : Environment.ProcessorCount };
        try
        {
        Parallel.For(0, files.Count, po, i =>
        {
            var path = Path.Combine(directory, files[i]);
            Image<byte> image;
            try
            {
                image = decoder is { } custom ? custom(path, colorMode) : ImageDecoder.Decode(path, colorMode, applyOrientation: false, maxPixels);
            }
            catch (Exception e) when (BadFiles.IsBadInput(e))
            {
                var d = BadFiles.Describe(e, path);
                if (onBadFile == BadFilePolicy.Throw) throw d;
                skipped.Add(new BadFile(path, d.Reason, i, 0));
                log?.WriteLine($"mirage: skipped '{path}': {d.Reason}");
                return;
            }
            using (image)
            {
                if (targetSize is { } t && (image.Height != t.Height || image.Width != t.Width))
                {
                    using var resized = Kernels.Geometric.Resize.To(image, t.Height, t.Width, interpolation);
                    stats.Add(resized);
                }
                else stats.Add(image);
            }
            progress?.Invoke(Interlocked.Increment(ref done), files.Count);
        });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return new FeaturewiseStatistics(stats.Mean, stats.Std, stats.Images, stats.Pixels, skipped.OrderBy(b => b.Index).ToArray());
    }
}
