using System.Diagnostics;
using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Transforms;

/// <summary>
/// What one side runs, loaded once per build. Only public API that both builds share may appear here: a member missing
/// from one build fails that side with MissingMethodException when the calling method is compiled.
/// </summary>
public sealed class Workload
{
    private ImageDataGenerator _generator = null!;
    private Image<byte>[] _sources = [];
    private readonly Image<byte>?[] _dst = new Image<byte>?[2];
    private readonly long[] _next = [0, 1_000_000_000L]; // thread t's sample index, as `mirage bench` numbers them
    private AffineMatrix[] _matrices = [];
    private ImageInfo _shape;
    private WarpOptions _warp;
    private BatchIterator<float>? _flow;
    private string _mode = "";

    public void Setup(string tree, string mode)
    {
        _mode = mode;
        // `mirage bench`'s reference configuration.
        _generator = new ImageDataGenerator(new ImageDataGeneratorOptions
        {
            RotationRange = 40, WidthShiftRange = 0.2, HeightShiftRange = 0.2, ShearRange = 0.2, ZoomRange = (0.8, 1.2),
            HorizontalFlip = true, FillMode = FillMode.Nearest,
        });
        _warp = _generator.WarpOptions;
        switch (mode)
        {
            case "warp" or "inmem" or "inmem2":
                var load = new ImageLoadOptions((224, 224), ColorMode.Rgb, ResizeInterpolation.Bilinear);
                var files = Directory.EnumerateFiles(tree, "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(256).ToArray();
                if (files.Length == 0) throw new ArgumentException($"No .jpg under '{tree}'.");
                _sources = files.Select(load.LoadBytes).ToArray();
                _shape = _sources[0].Info;
                _matrices = Enumerable.Range(0, 1024).Select(i => Draw(i)).ToArray();
                break;
            case "dir" or "dir2":
                int workers = mode == "dir2" ? 2 : 1;
                _flow = _generator.FlowFromDirectory(tree, new DirectoryFlowOptions
                {
                    TargetSize = (224, 224), BatchSize = 32, Workers = workers, Prefetch = 2 * workers, Seed = 1,
                });
                break;
            default:
                throw new ArgumentException($"Unknown mode '{mode}': warp, inmem, inmem2, dir or dir2.");
        }
    }

    private AffineMatrix Draw(long i)
    {
        var random = RandomStream.For(1, 0, i);
        var p = _generator.GetRandomTransform(_shape, ref random);
        var m = KerasTransform.Matrix(p, _shape.Height, _shape.Width, _warp.Centre) ?? AffineMatrix.Identity;
        if (p.FlipHorizontal) m *= new AffineMatrix(1, 0, 0, 0, -1, _shape.Width - 1);
        if (p.FlipVertical) m *= new AffineMatrix(-1, 0, _shape.Height - 1, 0, 1, 0);
        return m;
    }

    /// <summary>Images (samples) per second over <paramref name="seconds"/>.</summary>
    public double Run(double seconds)
    {
        var sw = Stopwatch.StartNew();
        long n = _mode switch
        {
            "warp" => Loop(0, sw, seconds, (dst, i) => WarpAffine.Apply(_sources[i % _sources.Length], dst, _matrices[i % 1024], _warp)),
            "inmem" => Loop(0, sw, seconds, InMemory),
            "inmem2" => TwoThreads(sw, seconds),
            _ => Flow(sw, seconds),
        };
        return n / sw.Elapsed.TotalSeconds;
    }

    private void InMemory(Image<byte> dst, long i) => WarpAffine.Apply(_sources[i % _sources.Length], dst, Draw(i), _warp);

    private long Loop(int thread, Stopwatch sw, double seconds, Action<Image<byte>, long> one)
    {
        var dst = _dst[thread] ??= new Image<byte>(_shape);
        long i = _next[thread], n = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            for (int k = 0; k < 32; k++) one(dst, i++);
            n += 32;
        }
        _next[thread] = i;
        return n;
    }

    private long TwoThreads(Stopwatch sw, double seconds)
    {
        long[] counts = new long[2];
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() => counts[t] = Loop(t, sw, seconds, InMemory))).ToArray();
        foreach (var th in threads) th.Start();
        foreach (var th in threads) th.Join();
        return counts.Sum();
    }

    private long Flow(Stopwatch sw, double seconds)
    {
        long n = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
            using (var batch = _flow!.Next()) n += batch.Count;
        return n;
    }
}
