using Mirage.Generation;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;

namespace Mirage.Benchmarks;

/// <summary>
/// `quick [seconds]`: Stopwatch loops for the headline numbers, per image, the way bench_peers.py times OpenCV
/// (draw the random parameters, build the matrix, warp, flip). The cases run interleaved in 20 ms rounds so a
/// noisy machine slows them alike; each line gives the median and the best round.
/// </summary>
public static class Quick
{
    public static void Run(double seconds)
    {
        const int H = 224, W = 224, C = 3;
        var sources = Enumerable.Range(0, 16).Select(i => ReferenceConfig.Picture(H, W, C, (ulong)i)).ToArray();
        var fsrc = sources.Select(ImageConvert.ToFloat).ToArray();
        var dst = new Image<byte>(H, W, C);
        var fdst = new Image<float>(H, W, C);
        var tensor = new float[H * W * C];
        float[] scale = [1 / 255f], offset = [0f];
        var opt = new WarpOptions(Interpolation.Bilinear, FillMode.Nearest);
        var kopt = opt with { KerasCompatible = true };
        var draws = ReferenceConfig.Draws(64, H, W, opt.Centre);
        var kdraws = ReferenceConfig.Draws(64, H, W, kopt.Centre);
        var flipH = new AffineMatrix(1, 0, 0, 0, -1, W - 1);
        var gray = Enumerable.Range(0, 16).Select(i => ReferenceConfig.Picture(H, W, 1, (ulong)i)).ToArray();
        var rgba = Enumerable.Range(0, 16).Select(i => ReferenceConfig.Picture(H, W, 4, (ulong)i)).ToArray();
        var gdst = new Image<byte>(H, W, 1);
        int tw = int.Parse(Environment.GetEnvironmentVariable("QUICK_TW") ?? "64");
        var tilesOn = KernelSettings.Default with { BandRows = int.Parse(Environment.GetEnvironmentVariable("QUICK_BR") ?? "8"), TileWidth = tw };
        var tilesOff = tilesOn with { TileWidth = 0 };
        var big = ReferenceConfig.Picture(1024, 1024, C, 99);
        var bigDst = new Image<byte>(1024, 1024, C);
        var bigDraws = ReferenceConfig.Draws(16, 1024, 1024, opt.Centre);
        var adst = new Image<byte>(H, W, 4);
        float[] imScale = [1 / (255f * 0.229f), 1 / (255f * 0.224f), 1 / (255f * 0.225f)];
        float[] imOffset = [-0.485f / 0.229f, -0.456f / 0.224f, -0.406f / 0.225f];

        var cases = new (string Name, Action<int> One)[]
        {
            ("byte: draw + matrix + warp + flip (vs OpenCV)", i =>
            {
                var rng = RandomStream.For(1, 0, i);
                var d = ReferenceConfig.Sample(ref rng, H, W, opt.Centre);
                WarpAffine.Apply(sources[i & 15], dst, d.Matrix, opt);
                if (d.FlipHorizontal) Flip.Horizontal(dst, dst);
            }),
            ("byte warp only, vector", i => WarpAffine.Apply(sources[i & 15], dst, draws[i & 63].Matrix, opt, vectorized: true)),
            ("byte warp only, scalar path", i => WarpAffine.Apply(sources[i & 15], dst, draws[i & 63].Matrix, opt, vectorized: false)),
            ("byte warp only, Vector128 path (SSSE3 blend)", i => WarpAffine.Apply(sources[i & 15], dst, draws[i & 63].Matrix, opt, WarpPath.Vector128)),
            ("byte warp only, Vector128 path (portable blend, as ARM64)", i => WarpAffine.Apply(sources[i & 15], dst, draws[i & 63].Matrix, opt, WarpPath.Vector128Portable)),
            ("byte warp only 1 channel, Vector128 path", i => WarpAffine.Apply(gray[i & 15], gdst, draws[i & 63].Matrix, opt, WarpPath.Vector128)),
            ("byte warp only 4 channels, Vector128 path", i => WarpAffine.Apply(rgba[i & 15], adst, draws[i & 63].Matrix, opt, WarpPath.Vector128)),
            ("float warp only (KerasCompatible), vector", i => WarpAffine.Apply(fsrc[i & 15], fdst, kdraws[i & 63].Matrix, kopt, vectorized: true)),
            ("float warp only (KerasCompatible), scalar path", i => WarpAffine.Apply(fsrc[i & 15], fdst, kdraws[i & 63].Matrix, kopt, vectorized: false)),
            ("float: draw + matrix + warp + flip (KerasCompatible)", i =>
            {
                var rng = RandomStream.For(1, 0, i);
                var d = ReferenceConfig.Sample(ref rng, H, W, kopt.Centre);
                WarpAffine.Apply(fsrc[i & 15], fdst, d.Matrix, kopt);
                if (d.FlipHorizontal) Flip.Horizontal(fdst, fdst);
            }),
            ("byte -> float CHW /255 fused: draw + matrix(flip folded in) + warp", i =>
            {
                var rng = RandomStream.For(1, 0, i);
                var d = ReferenceConfig.Sample(ref rng, H, W, opt.Centre);
                var m = d.FlipHorizontal ? d.Matrix * flipH : d.Matrix;
                WarpAffine.ApplyToFloat(sources[i & 15], tensor, DataFormat.ChannelsFirst, m, opt, scale, offset);
            }),
            ("flip horizontal byte in place", i => Flip.Horizontal(dst, dst)),
            ("byte warp, shift 0.5 (sequential reads)", i => WarpAffine.Apply(sources[i & 15], dst, new AffineMatrix(1, 0, 0.5, 0, 1, 0.5), opt)),
            ("byte warp, rotation 30 about centre", i => WarpAffine.Apply(sources[i & 15], dst, AffineMatrix.FromKeras(30, 0, 0, 0, 1, 1, H, W, opt.Centre)!.Value, opt)),
            ("byte: draw + matrix(flip folded in) + warp", i =>
            {
                var rng = RandomStream.For(1, 0, i);
                var d = ReferenceConfig.Sample(ref rng, H, W, opt.Centre);
                WarpAffine.Apply(sources[i & 15], dst, d.FlipHorizontal ? d.Matrix * flipH : d.Matrix, opt);
            }),
            ("byte warp only, 1 channel", i => WarpAffine.Apply(gray[i & 15], gdst, draws[i & 63].Matrix, opt)),
            ("byte warp only, 4 channels", i => WarpAffine.Apply(rgba[i & 15], adst, draws[i & 63].Matrix, opt)),
            ("byte warp only, order 0", i => WarpAffine.Apply(sources[i & 15], dst, draws[i & 63].Matrix, opt with { Interpolation = Interpolation.Nearest })),
            ("byte warp only, fill constant", i => WarpAffine.Apply(sources[i & 15], dst, draws[i & 63].Matrix, opt with { FillMode = FillMode.Constant })),
            ("byte warp only, fill reflect", i => WarpAffine.Apply(sources[i & 15], dst, draws[i & 63].Matrix, opt with { FillMode = FillMode.Reflect })),
            ("byte warp only, fill wrap", i => WarpAffine.Apply(sources[i & 15], dst, draws[i & 63].Matrix, opt with { FillMode = FillMode.Wrap })),
            ("byte -> float HWC mean/std fused, warp only", i => WarpAffine.ApplyToFloat(sources[i & 15], tensor, DataFormat.ChannelsLast, draws[i & 63].Matrix, opt, imScale, imOffset)),
            ("byte -> float CHW mean/std fused, warp only", i => WarpAffine.ApplyToFloat(sources[i & 15], tensor, DataFormat.ChannelsFirst, draws[i & 63].Matrix, opt, imScale, imOffset)),
            ("byte warp, then Normalize.ToFloat CHW mean/std", i =>
            {
                WarpAffine.Apply(sources[i & 15], dst, draws[i & 63].Matrix, opt);
                Mirage.Kernels.Photometric.Normalize.ToFloat(dst, tensor, DataFormat.ChannelsFirst, imScale, imOffset);
            }),
            ("memcpy 150 KB", i => sources[i & 15].Span.CopyTo(dst.Span)),
            ("tiles off: byte warp only 224", i => WarpAffine.Apply(sources[i & 15], dst, draws[i & 63].Matrix, opt, tilesOff)),
            ("tiles on: byte warp only 224", i => WarpAffine.Apply(sources[i & 15], dst, draws[i & 63].Matrix, opt, tilesOn)),
            ("tiles off: byte warp only 1024", i => WarpAffine.Apply(big, bigDst, bigDraws[i & 15].Matrix, opt, tilesOff)),
            ("tiles on: byte warp only 1024", i => WarpAffine.Apply(big, bigDst, bigDraws[i & 15].Matrix, opt, tilesOn)),
        };
        foreach (var c in cases) for (int i = 0; i < 300; i++) c.One(i); // tiered JIT warm-up
        var only = Environment.GetEnvironmentVariable("QUICK_ONLY");
        if (only is not null) cases = cases.Where(c => c.Name.Contains(only)).ToArray();
        Rounds.Run(cases.Select(c => (c.Name, 1, c.One)).ToArray(), seconds);
    }
}
