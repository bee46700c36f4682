using Mirage.Generation;
using CsCheck;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;

namespace Mirage.Tests.Kernels.Geometric;

/// <summary>What the warp tests share: the fill modes they sweep, the cval, random matrices, and one warp run three ways.</summary>
internal static class WarpTestData
{
    public static readonly FillMode[] Fills = [FillMode.Nearest, FillMode.Constant, FillMode.Reflect, FillMode.Wrap];

    /// <summary>A fractional cval: the byte path rounds it to 38, within 1 of the float path's 37.5.</summary>
    public const float Cval = 37.5f;

    /// <summary>Rotation, shift, shear and zoom about the centre of a 32×32 image, well beyond the reference ranges.</summary>
    public static readonly Gen<AffineMatrix> Matrices =
        Gen.Select(Gen.Double[-180, 180], Gen.Double[-10, 10], Gen.Double[-10, 10], Gen.Double[-40, 40], Gen.Double[0.3, 3], Gen.Double[0.3, 3])
            .Select((t, tx, ty, sh, zx, zy) => AffineMatrix.FromKeras(t, tx, ty, sh, zx, zy, 32, 32, CentreConvention.PixelCentre) ?? AffineMatrix.Identity);

    private static readonly DataFormat[] Layouts = [DataFormat.ChannelsLast, DataFormat.ChannelsFirst];

    /// <summary>
    /// The byte warp on each of <paramref name="paths"/> against the scalar path, byte for byte, directly and through the
    /// fused byte → float warp in both layouts; <paramref name="where"/> names the first difference.
    /// </summary>
    public static bool ByteSameAsScalar(Image<byte> src, int dh, int dw, in AffineMatrix m, in WarpOptions options, WarpPath[] paths, out string where)
    {
        using var s = new Image<byte>(dh, dw, src.Channels);
        WarpAffine.Apply(src, s, m, options, WarpPath.Scalar);
        var fs = new float[2][];
        for (int l = 0; l < 2; l++)
        {
            fs[l] = new float[s.Length];
            WarpAffine.ApplyToFloat(src, fs[l], dh, dw, Layouts[l], m, options, [2f], [-1f], WarpPath.Scalar);
        }
        foreach (var path in paths)
        {
            using var v = new Image<byte>(s.Info);
            WarpAffine.Apply(src, v, m, options, path);
            where = $"{path} {options.Interpolation} {src.Info} -> {dh}x{dw} {options.FillMode} keras={options.KerasCompatible} {m}";
            if (!v.Span.SequenceEqual(s.Span)) return false;
            for (int l = 0; l < 2; l++)
            {
                var fv = new float[s.Length];
                WarpAffine.ApplyToFloat(src, fv, dh, dw, Layouts[l], m, options, [2f], [-1f], path);
                if (!fv.AsSpan().SequenceEqual(fs[l])) { where = $"fused {Layouts[l]} " + where; return false; }
            }
        }
        where = "";
        return true;
    }

    /// <summary>The byte warp by the vector and the scalar path, and the float warp of the same pixels.</summary>
    public sealed record Warped(Image<byte> Vector, Image<byte> Scalar, Image<float> Float) : IDisposable
    {
        public void Dispose()
        {
            Vector.Dispose();
            Scalar.Dispose();
            Float.Dispose();
        }
    }

    public static Warped WarpThreeWays(Image<byte> src, in AffineMatrix m, in WarpOptions options)
    {
        using var fsrc = ImageConvert.ToFloat(src);
        var warped = new Warped(new Image<byte>(src.Info), new Image<byte>(src.Info), new Image<float>(src.Info));
        WarpAffine.Apply(src, warped.Vector, m, options, vectorized: true);
        WarpAffine.Apply(src, warped.Scalar, m, options, vectorized: false);
        WarpAffine.Apply(fsrc, warped.Float, m, options);
        return warped;
    }
}
