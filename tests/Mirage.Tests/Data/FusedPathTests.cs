using Mirage.Codecs;
using Mirage.Data;
using Mirage.Generation;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;
using Mirage;

namespace Mirage.Tests.Data;

/// <summary>
/// The fused byte sample path (decode → bytes → one warp straight into the batch slot) against the exact path
/// (float image → scipy-exact float warp → flips → Standardize) on the same drawn parameters.
/// Tolerance: the byte warp is within 1 of the float warp per value before scaling, so within |scale[c]| after it,
/// plus float rounding of the affine map (1e-5 relative).
/// </summary>
public class FusedPathTests
{
    private const int H = 24, W = 20;

    /// <summary>A class tree of PNGs (lossless): some at the target size, some larger (resized first), some smaller.</summary>
    private static TempDir Tree(int perClass = 6)
    {
        var t = new TempDir();
        var rng = new RandomStream(5);
        int n = 0;
        foreach (var cls in new[] { "a", "b" })
            for (int i = 0; i < perClass; i++, n++)
            {
                var (h, w) = (n % 3) switch { 0 => (H, W), 1 => (37, 29), _ => (15, 13) };
                using var img = new Image<byte>(h, w, 3);
                var s = img.Span;
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        for (int c = 0; c < 3; c++)
                            s[(y * w + x) * 3 + c] = (byte)((x * 11 * (c + 1) + y * 7 * (3 - c) + rng.NextInt(40)) & 0xFF);
                Directory.CreateDirectory(t[cls]);
                ImageEncoder.Save(img, t[$"{cls}/{i:D2}.png"], ImageFormat.Png);
            }
        return t;
    }

    private static readonly ImageDataGeneratorOptions Reference = new()
    {
        RotationRange = 40,
        WidthShiftRange = ShiftRange.Uniform(0.2),
        HeightShiftRange = ShiftRange.Uniform(0.2),
        ShearRange = 0.2,
        ZoomRange = (0.8, 1.2),
        HorizontalFlip = true,
        FillMode = FillMode.Nearest,
    };

    private static BatchIterator<T> Flow<T>(ImageDataGenerator g, string dir, bool fused, int workers = 0, DataFormat? format = null) where T : unmanaged
    {
        var it = g.FlowFromDirectory<T>(dir, new DirectoryFlowOptions
        {
            TargetSize = (H, W),
            Interpolation = ResizeInterpolation.Bilinear,
            BatchSize = 5,
            Seed = 17,
            Epochs = 2,
            Workers = workers,
            DataFormat = format,
            Configuration = fused ? null : new MirageConfiguration { FusedPath = false },
        });
        return it;
    }

    private static List<(int[] Indices, T[] X)> All<T>(BatchIterator<T> it) where T : unmanaged
    {
        var r = new List<(int[], T[])>();
        foreach (var b in it)
            using (b) r.Add((b.SampleIndices.ToArray(), b.X.ToArray()));
        return r;
    }

    public static TheoryData<string> Configs => new()
    {
        "reference", "constant", "constant-cval", "reflect", "wrap", "vertical-flip", "featurewise", "channels-first", "flips-only", "none",
    };

    private static ImageDataGenerator Generator(string name)
    {
        var o = name switch
        {
            "constant" => Reference with { FillMode = FillMode.Constant },
            "constant-cval" => Reference with { FillMode = FillMode.Constant, Cval = 200 },
            "reflect" => Reference with { FillMode = FillMode.Reflect },
            "wrap" => Reference with { FillMode = FillMode.Wrap },
            "vertical-flip" => Reference with { VerticalFlip = true, Rescale = 1.0 / 255 },
            "featurewise" => Reference with { Rescale = 1.0 / 255, FeaturewiseCenter = true, FeaturewiseStdNormalization = true },
            "channels-first" => Reference with { DataFormat = DataFormat.ChannelsFirst, VerticalFlip = true, Rescale = 2.0 },
            "flips-only" => new ImageDataGeneratorOptions { HorizontalFlip = true, VerticalFlip = true },
            "none" => new ImageDataGeneratorOptions { Rescale = 1.0 / 255 },
            _ => Reference,
        };
        var g = new ImageDataGenerator(o);
        if (o.FeaturewiseCenter)
        {
            g.Mean = [0.45f, 0.40f, 0.35f];
            g.Std = [0.25f, 0.2f, 0.3f];
        }
        return g;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void FusedFloatBatchesMatchTheExactPathWithinOneStep(string config)
    {
        using var t = Tree();
        var g = Generator(config);
        using var fast = Flow<float>(g, t.Path, fused: true);
        using var exact = Flow<float>(g, t.Path, fused: false);
        var a = All(fast);
        var b = All(exact);
        Assert.Equal(2 * 12, fast.FusedSamples);
        Assert.Equal(0, exact.FusedSamples);

        var plan = FusedSample.For(g, ImageInfo.Create(H, W, 3))!;
        bool chw = g.Options.DataFormat == DataFormat.ChannelsFirst;
        Assert.Equal(b.Count, a.Count);
        double worst = 0;
        int differing = 0;
        for (int k = 0; k < a.Count; k++)
        {
            Assert.Equal(b[k].Indices, a[k].Indices);
            Assert.Equal(b[k].X.Length, a[k].X.Length);
            for (int i = 0; i < a[k].X.Length; i++)
            {
                int c = chw ? i / (H * W) % 3 : i % 3;
                double diff = Math.Abs(a[k].X[i] - b[k].X[i]);
                double allowed = Math.Abs(plan.Scale[c]) * 1.0 + 1e-5 * (1 + Math.Abs(b[k].X[i]));
                Assert.True(diff <= allowed, $"{config}: batch {k} value {i}: fused {a[k].X[i]} exact {b[k].X[i]} (allowed {allowed})");
                worst = Math.Max(worst, diff / Math.Abs(plan.Scale[c]));
                if (diff > 1e-5 * (1 + Math.Abs(b[k].X[i]))) differing++;
            }
        }
        Assert.True(worst <= 1.0 + 1e-3, $"{config}: worst difference {worst} steps");
        if (config is "flips-only" or "none") Assert.Equal(0, differing); // no resampling: bit-for-bit up to the affine map
        else Assert.True(differing > 0, $"{config}: the two paths gave the same floats; is the exact path running?");
    }

    [Fact]
    public void FusedByteBatchesMatchTheExactPathWithinOne()
    {
        using var t = Tree();
        foreach (var config in new[] { "reference", "featurewise", "channels-first" })
        {
            var g = Generator(config == "featurewise" ? "reference" : config);
            using var fast = Flow<byte>(g, t.Path, fused: true);
            using var exact = Flow<byte>(g, t.Path, fused: false);
            var a = All(fast);
            var b = All(exact);
            Assert.True(fast.FusedSamples > 0);
            for (int k = 0; k < a.Count; k++)
            {
                Assert.Equal(b[k].Indices, a[k].Indices);
                for (int i = 0; i < a[k].X.Length; i++)
                    Assert.True(Math.Abs(a[k].X[i] - b[k].X[i]) <= 1, $"{config}: batch {k} value {i}: {a[k].X[i]} vs {b[k].X[i]}");
            }
        }
    }

    [Fact]
    public void OrderZeroPicksTheSameNeighboursAlmostEverywhere()
    {
        // Folding a flip into the matrix rounds coordinates differently at exact half-pixel ties only.
        using var t = Tree();
        var g = new ImageDataGenerator(Reference with { InterpolationOrder = Interpolation.Nearest, VerticalFlip = true });
        var a = All(Flow<float>(g, t.Path, fused: true));
        var b = All(Flow<float>(g, t.Path, fused: false));
        long same = 0, total = 0;
        for (int k = 0; k < a.Count; k++)
            for (int i = 0; i < a[k].X.Length; i++, total++)
                if (a[k].X[i] == b[k].X[i]) same++;
        Assert.True(same >= total * 0.999, $"{same} of {total} values equal");
    }

    [Fact]
    public void FusedPathIsByteIdenticalWithOneOrTwoWorkers()
    {
        using var t = Tree(perClass: 15);
        var g = Generator("featurewise");
        foreach (var format in new[] { DataFormat.ChannelsLast, DataFormat.ChannelsFirst })
        {
            using var one = Flow<float>(g, t.Path, fused: true, workers: 1, format: format);
            using var two = Flow<float>(g, t.Path, fused: true, workers: 2, format: format);
            using var zero = Flow<float>(g, t.Path, fused: true, workers: 0, format: format);
            var a = All(one);
            var b = All(two);
            var c = All(zero);
            Assert.Equal(2 * 30, one.FusedSamples);
            Assert.Equal(2 * 30, two.FusedSamples);
            Assert.Equal(a.Count, b.Count);
            for (int k = 0; k < a.Count; k++)
            {
                Assert.Equal(a[k].Indices, b[k].Indices);
                Assert.Equal(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a[k].X.AsSpan()).ToArray(),
                             System.Runtime.InteropServices.MemoryMarshal.AsBytes(b[k].X.AsSpan()).ToArray());
                Assert.Equal(a[k].X, c[k].X);
            }
        }
    }

    public static TheoryData<string> NotFusable => new()
    {
        "channel-shift", "brightness", "keras-compatible", "preprocessing", "samplewise", "featurewise-not-fit", "cval-fraction",
    };

    [Theory]
    [MemberData(nameof(NotFusable))]
    public void FusedPathIsNotTakenWhenAStepCannotBeFused(string config)
    {
        using var t = Tree(perClass: 2);
        var o = config switch
        {
            "channel-shift" => Reference with { ChannelShiftRange = 20 },
            "brightness" => Reference with { BrightnessRange = (0.8, 1.2) },
            "keras-compatible" => Reference with { KerasCompatible = true },
            "preprocessing" => Reference with { PreprocessingFunction = x => { } },
            "samplewise" => Reference with { SamplewiseCenter = true },
            "featurewise-not-fit" => Reference with { FeaturewiseCenter = true },
            _ => Reference with { FillMode = FillMode.Constant, Cval = 0.5 },
        };
        var g = new ImageDataGenerator(o);
        Assert.Null(FusedSample.For(g, ImageInfo.Create(H, W, 3)));
        using var it = Flow<float>(g, t.Path, fused: true);
        if (config == "featurewise-not-fit")
        {
            Assert.Throws<MirageException>(() => it.GetBatch(0));
            return;
        }
        foreach (var b in it) b.Dispose();
        Assert.Equal(0, it.FusedSamples);
    }

    [Fact]
    public void FusedPathIsNotTakenWithSaveToDir()
    {
        using var t = Tree(perClass: 2);
        using var it = new ImageDataGenerator(Reference).FlowFromDirectory(t.Path, new DirectoryFlowOptions
        {
            TargetSize = (H, W), BatchSize = 4, Seed = 1, Epochs = 1, SaveToDir = t["out"],
        });
        foreach (var b in it) b.Dispose();
        Assert.Equal(0, it.FusedSamples);
    }

    [Fact]
    public void FlowsWithoutAugmentationCopyBytesBitForBit()
    {
        using var t = Tree(perClass: 3);
        var opts = new DirectoryFlowOptions { TargetSize = (H, W), BatchSize = 4, Seed = 3, Epochs = 1, DataFormat = DataFormat.ChannelsFirst };
        using var fast = DataPipeline.FromDirectory<float>(t.Path, null, opts);
        using var exact = DataPipeline.FromDirectory<float>(t.Path, null, opts with { Configuration = new MirageConfiguration { FusedPath = false } });
        var a = All(fast);
        var b = All(exact);
        Assert.Equal(6, fast.FusedSamples);
        Assert.Equal(0, exact.FusedSamples); // its configuration's FusedPath = false was honoured
        for (int k = 0; k < a.Count; k++) Assert.Equal(b[k].X, a[k].X);
    }

    [Fact]
    public void FoldedFlipMatrixEqualsWarpThenFlip()
    {
        // Property: warping with M·F equals warping with M then flipping (bytes, bilinear, fill nearest).
        var rng = new RandomStream(11);
        using var src = new Image<byte>(17, 23, 3);
        for (int i = 0; i < src.Length; i++) src.Span[i] = (byte)rng.NextInt(256);
        var g = new ImageDataGenerator(Reference with { VerticalFlip = true });
        var plan = FusedSample.For(g, src.Info)!;
        for (int k = 0; k < 20; k++)
        {
            var p = g.GetRandomTransform(src.Info, ref rng);
            Assert.True(plan.TryMatrix(p, out var folded));
            using var warped = new Image<byte>(src.Info);
            WarpAffine.Apply(src, warped, Mirage.Transforms.KerasTransform.Matrix(p, 17, 23, plan.Warp.Centre) ?? Mirage.Geometry.AffineMatrix.Identity, plan.Warp);
            if (p.FlipHorizontal) Flip.Horizontal(warped, warped);
            if (p.FlipVertical) Flip.Vertical(warped, warped);
            using var direct = new Image<byte>(src.Info);
            WarpAffine.Apply(src, direct, folded, plan.Warp);
            for (int i = 0; i < src.Length; i++) Assert.True(Math.Abs(direct.Span[i] - warped.Span[i]) <= 1);
        }
    }
}
