using Mirage.Codecs;
using Mirage.Generation;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Transforms;

namespace Mirage.Benchmarks;

/// <summary>
/// `inmem WARMUP N`: exactly what `mirage bench`'s in-memory number times per image (draw with the generator, matrix
/// with the flips folded in, one byte warp) on 224×224×3 pictures, WARMUP untimed then N more, for instruction counts
/// (callgrind: the difference of two N over the difference of the N is instructions per image, start-up cancelled).
/// </summary>
public static class InMemoryCount
{
    public static void Run(int warmup, int n)
    {
        const int H = 224, W = 224, C = 3;
        var generator = new ImageDataGenerator(new ImageDataGeneratorOptions
        {
            RotationRange = 40, WidthShiftRange = 0.2, HeightShiftRange = 0.2, ShearRange = 0.2, ZoomRange = (0.8, 1.2),
            HorizontalFlip = true, FillMode = FillMode.Nearest,
        });
        var sources = Enumerable.Range(0, 16).Select(i => ReferenceConfig.Picture(H, W, C, (ulong)i)).ToArray();
        var shape = sources[0].Info;
        var warp = generator.WarpOptions;
        using var dst = new Image<byte>(shape);
        ulong sum = 0;
        var kernels = KernelSettings.Default;
        void One(long i)
        {
            var rng = RandomStream.For(1, 0, i);
            var p = generator.GetRandomTransform(shape, ref rng);
            var m = KerasTransform.Matrix(p, shape.Height, shape.Width, warp.Centre) ?? AffineMatrix.Identity;
            if (p.FlipHorizontal) m *= new AffineMatrix(1, 0, 0, 0, -1, shape.Width - 1);
            if (p.FlipVertical) m *= new AffineMatrix(-1, 0, shape.Height - 1, 0, 1, 0);
            WarpAffine.Apply(sources[i % sources.Length], dst, m, warp, kernels);
        }
        if (n == 0)
        {
            // Wall clock: rounds of `warmup` images alternating the source prefetch off/on, 256 sources as bench_peers.py cycles.
            var many = Enumerable.Range(0, 256).Select(i => ReferenceConfig.Picture(H, W, C, (ulong)i)).ToArray();
            sources = many;
            var t = new List<double>[2] { [], [] };
            long idx = 0;
            for (int round = 0; round < 40; round++)
            {
                kernels = KernelSettings.Default with { PrefetchSource = (round & 1) == 1 };
                long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                for (int j = 0; j < warmup; j++) One(idx++);
                t[round & 1].Add(warmup / System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds);
            }
            foreach (int q in new[] { 0, 1 })
            {
                var v = t[q].Skip(2).Order().ToArray();
                Console.WriteLine($"prefetch={q}: median {v[v.Length / 2]:F0} img/s, best {v[^1]:F0}");
            }
            return;
        }
        long k = 0;
        for (; k < warmup; k++) One(k);
        for (long j = 0; j < n; j++, k++)
        {
            One(k);
            sum = sum * 31 + dst.Span[(int)(k % dst.Span.Length)];
        }
        Console.WriteLine($"{warmup}+{n} images, checksum {sum}");
    }
}
