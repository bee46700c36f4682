using System.Buffers;
using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage.Tests.Codecs;
using Mirage.Tests.Data;
using Mirage.Transforms;

namespace Mirage.Tests;

/// <summary>
/// <see cref="MirageConfiguration"/>: settings travel with the generator or flow that was given them, so two
/// configurations run side by side in one process (no global or per-thread knob left to collide), and the settings that
/// must not change a byte do not.
/// </summary>
public class MirageConfigurationTests
{
    private const int Target = 24;

    /// <summary>Four classes of 96×96 JPEGs: 4× the 24×24 target on both axes, so libjpeg-turbo's scaled decode takes
    /// them at 1/4 while SkiaSharp (1/8 would not cover the target) decodes them whole and the resize shrinks them.</summary>
    private static TempDir JpegTree()
    {
        var t = new TempDir();
        var rng = new RandomStream(41);
        for (int cls = 0; cls < 4; cls++)
            for (int i = 0; i < 5; i++)
            {
                using var img = new Image<byte>(96, 96, 3);
                var s = img.Span;
                for (int y = 0; y < 96; y++)
                    for (int x = 0; x < 96; x++)
                        for (int c = 0; c < 3; c++)
                            s[(y * 96 + x) * 3 + c] = (byte)((x * (3 + c) + y * (5 - c) + cls * 40 + rng.NextInt(90)) & 0xFF);
                Directory.CreateDirectory(t[$"c{cls}"]);
                ImageEncoder.Save(img, t[$"c{cls}/{i}.jpg"], ImageFormat.Jpeg, 90);
            }
        return t;
    }

    private static readonly ImageDataGeneratorOptions Augment = new()
    {
        RotationRange = 30,
        WidthShiftRange = ShiftRange.Uniform(0.1),
        ZoomRange = (0.9, 1.2),
        HorizontalFlip = true,
        Rescale = 1.0 / 255,
    };

    /// <summary>Every batch of two epochs, X and Y, in order; the iterator's fused-sample count.</summary>
    private static (float[] Bytes, long Fused) Run(ImageDataGenerator g, string dir, MirageConfiguration? flowConfiguration = null)
    {
        using var it = g.FlowFromDirectory(dir, new DirectoryFlowOptions
        {
            TargetSize = (Target, Target), BatchSize = 6, Seed = 9, Epochs = 2, Workers = 2, Configuration = flowConfiguration,
        });
        var all = new List<float>();
        foreach (var b in it)
            using (b)
            {
                all.AddRange(b.X.ToArray());
                all.AddRange(b.Y.ToArray());
            }
        return (all.ToArray(), it.FusedSamples);
    }

    [Fact]
    public void Two_generators_with_different_configurations_run_concurrently_each_with_its_own()
    {
        if (!NativeDependency.TurboJpegPresent()) return; // the decoder choice needs both decoders
        using var t = JpegTree();
        var scalarPool = new CountingPool<float>();
        var skiaPool = new CountingPool<float>();
        // Scalar kernels, whole-row warp bands, libjpeg-turbo / the widest kernels, SkiaSharp: run at the same time.
        var scalar = new MirageConfiguration { SimdLevel = SimdLevel.Scalar, WarpBandRows = 1, WarpTileWidth = 0, FloatPool = scalarPool };
        var skia = new MirageConfiguration { JpegDecoder = JpegDecoderChoice.SkiaSharp, FloatPool = skiaPool };
        var a = new ImageDataGenerator(Augment) { Configuration = scalar };
        var b = new ImageDataGenerator(Augment) { Configuration = skia };
        Assert.Same(scalar, a.Configuration);

        var results = new (float[] Bytes, long Fused)[6];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i => results[i] = Run(i % 2 == 0 ? a : b, t.Path));

        var reference = Run(new ImageDataGenerator(Augment), t.Path); // the default configuration, alone
        var skiaAlone = Run(new ImageDataGenerator(Augment), t.Path, SkiaFallbackTests.Skia); // SkiaSharp through the flow's options
        for (int i = 0; i < results.Length; i++)
        {
            var (bytes, fused) = results[i];
            Assert.True(fused > 0, "the fused byte route ran");
            // The scalar path, whole-row bands and libjpeg-turbo give the default's bytes; SkiaSharp's full decode + resize
            // gives another picture than libjpeg-turbo's 1/4-scale decode: each flow ran with its own generator's decoder.
            Assert.Equal(i % 2 == 0 ? reference.Bytes : skiaAlone.Bytes, bytes);
        }
        Assert.NotEqual(reference.Bytes, skiaAlone.Bytes);
        Assert.Equal(reference.Fused, results[0].Fused);

        // Each flow rented its batches' label arrays from its own configuration's pool, and gave them all back.
        Assert.True(scalarPool.Rents > 0 && skiaPool.Rents > 0);
        Assert.Equal(0, scalarPool.Outstanding);
        Assert.Equal(0, skiaPool.Outstanding);
    }

    [Fact]
    public void The_fused_path_switch_is_per_flow()
    {
        using var t = JpegTree();
        var g = new ImageDataGenerator(Augment);
        var exactConfig = new MirageConfiguration { FusedPath = false };
        var results = new (float[] Bytes, long Fused)[4];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => results[i] = Run(g, t.Path, i % 2 == 0 ? null : exactConfig));
        var fused = Run(g, t.Path);
        var exact = Run(new ImageDataGenerator(Augment) { Configuration = exactConfig }, t.Path); // the generator's, not the flow's
        Assert.True(fused.Fused > 0);
        Assert.Equal(0, exact.Fused);
        Assert.NotEqual(fused.Bytes, exact.Bytes); // byte warp vs scipy-exact float warp: close, not equal
        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? fused.Bytes : exact.Bytes, results[i].Bytes);
            Assert.Equal(i % 2 == 0 ? fused.Fused : 0, results[i].Fused);
        }
    }

    [Fact]
    public void MaxWorkers_caps_the_threads_a_flow_starts()
    {
        var x = new ImageArray(new float[8 * 2 * 2], 8, 2, 2, 1);
        foreach (var (cap, onCaller) in new (int?, bool)[] { (0, true), (null, false) })
        {
            var augmenter = new ThreadRecorder();
            using var it = DataPipeline.FromArrays<float>(x, null, augmenter, new FlowOptions
            {
                BatchSize = 2, Epochs = 1, Workers = 3, Seed = 1, Configuration = new MirageConfiguration { MaxWorkers = cap },
            });
            foreach (var b in it) b.Dispose();
            int caller = Environment.CurrentManagedThreadId;
            Assert.Equal(8, augmenter.Threads.Count);
            Assert.Equal(onCaller, augmenter.Threads.All(id => id == caller));
        }
    }

    [Fact]
    public void Simd_levels_map_onto_the_kernel_paths()
    {
        Assert.Equal(KernelSettings.Default, KernelSettings.Of(MirageConfiguration.Default));
        Assert.Equal(KernelSettings.Default, KernelSettings.Of(null));
        Assert.Equal(WarpPath.Scalar, KernelSettings.Of(new MirageConfiguration { SimdLevel = SimdLevel.Scalar }).Path);
        Assert.Equal(WarpPath.Vector128, KernelSettings.Of(new MirageConfiguration { SimdLevel = SimdLevel.Vector128 }).Path);
        Assert.Equal(WarpPath.Vector256, KernelSettings.Of(new MirageConfiguration { SimdLevel = SimdLevel.Vector256 }).Path);
        var tiled = KernelSettings.Of(new MirageConfiguration { WarpBandRows = 3, WarpTileWidth = 0 });
        Assert.Equal((3, 0), (tiled.BandRows, tiled.TileWidth));
        Assert.False(KernelSettings.Of(new MirageConfiguration { SimdLevel = SimdLevel.Scalar }).Vectorized);
    }

    [Fact]
    public void Out_of_range_settings_are_refused_when_set()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MirageConfiguration { WarpBandRows = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MirageConfiguration { WarpBandRows = 33 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MirageConfiguration { WarpTileWidth = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MirageConfiguration { MaxWorkers = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MirageConfiguration { SimdLevel = (SimdLevel)9 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MirageConfiguration { JpegDecoder = (JpegDecoderChoice)9 });
        Assert.Throws<ArgumentNullException>(() => new MirageConfiguration { FloatPool = null! });
        Assert.Throws<ArgumentNullException>(() => new ImageDataGenerator { Configuration = null! });
        Assert.Equal(32, new MirageConfiguration { WarpBandRows = 32 }.WarpBandRows);
        Assert.Equal(new MirageConfiguration(), MirageConfiguration.Default); // a value: equal settings are equal
    }

    [Fact]
    public void FromJson_takes_a_configuration_for_its_flows()
    {
        var c = new MirageConfiguration { SimdLevel = SimdLevel.Scalar };
        Assert.Same(c, ImageDataGenerator.FromJson("""{"rotation_range": 10}""", configuration: c).Configuration);
        Assert.Same(c, ImageDataGenerator.FromJson("""{"transforms": [{"name": "horizontal_flip"}]}""", configuration: c).Configuration);
        Assert.Same(MirageConfiguration.Default, ImageDataGenerator.FromJson("""{"rotation_range": 10}""").Configuration);
    }

    private sealed class ThreadRecorder : ISampleAugmenter
    {
        public System.Collections.Concurrent.ConcurrentBag<int> Threads { get; } = [];
        public TransformParameters Sample(ImageInfo shape, ref RandomStream random) => new();
        public void Apply(Image<float> src, Image<float> dst, in TransformParameters parameters)
        {
            Threads.Add(Environment.CurrentManagedThreadId);
            src.Span.CopyTo(dst.Span);
        }
        public void Standardize(Image<float> x) { }
    }
}
