using Mirage.Codecs;
using Mirage.Imaging;

namespace Mirage.Data;

/// <summary>
/// Per-channel mean and (population) standard deviation of 8-bit pixels, accumulated exactly: integer sums and sums of
/// squares, so the result does not depend on the order images are added or on how many threads add them.
/// Keras's featurewise statistics (np.mean / np.std over the batch, row and column axes) without holding the data.
/// </summary>
public sealed class ChannelStatistics
{
    private readonly long[] _sum;
    private readonly Int128[] _sumSquares;

    public ChannelStatistics(int channels)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "At least one channel.");
        _sum = new long[channels];
        _sumSquares = new Int128[channels];
    }

    public int Channels => _sum.Length;
    /// <summary>Pixels seen per channel.</summary>
    public long Pixels { get; private set; }
    public long Images { get; private set; }

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

    public double[] Mean => Enumerable.Range(0, Channels).Select(k => Pixels == 0 ? double.NaN : (double)_sum[k] / Pixels).ToArray();

    /// <summary>Population standard deviation (numpy's default ddof = 0, as Keras's fit uses).</summary>
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
public sealed record FeaturewiseStatistics(double[] Mean, double[] Std, long Images, long Pixels, IReadOnlyList<BadFile> Skipped)
{
    /// <summary>Sets the generator's Mean and Std (featurewise_center / featurewise_std_normalization). The statistics
    /// are of raw 0..255 pixels; they are multiplied by the generator's rescale, as its own Fit measures rescaled images.</summary>
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
