using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;

namespace Mirage.Transforms.Geometric;

/// <summary>Options of <see cref="RandomResizedCrop"/> (torchvision's RandomResizedCrop).</summary>
public sealed record RandomResizedCropOptions : WarpTransformOptions
{
    /// <summary><c>random_resized_crop</c>.</summary>
    public override string Name => "random_resized_crop";
    /// <summary>A new <see cref="RandomResizedCrop"/>.</summary>
    public override ITransform Create() => new RandomResizedCrop(this);

    /// <summary>The output (height, width) in pixels, each 1..65535; default 224 × 224 (torchvision's size).</summary>
    [Option("output size [height, width] in pixels", Min = 1, Max = 65535)]
    public Size Size { get; init => field = Checked(value); } = new(224, 224);

    /// <summary>The crop's area as a fraction of the input's, drawn uniformly from [low, high] ⊂ (0, 1]; default
    /// [0.08, 1] (torchvision's scale).</summary>
    [Option("fraction of the input area the crop covers, drawn uniformly from [low, high]", Min = 1e-6, Max = 1)]
    public Interval Scale { get; init => field = Checked(value); } = new(0.08, 1.0);

    /// <summary>The crop's width / height, drawn log-uniformly from [low, high]; default [3/4, 4/3] (torchvision's
    /// ratio).</summary>
    [Option("aspect ratio (width / height) of the crop, drawn log-uniformly from [low, high]", Min = 1e-6, Max = 1e6)]
    public Interval Ratio { get; init => field = Checked(value); } = new(3.0 / 4.0, 4.0 / 3.0);

    /// <summary>Resize byte images with Pillow's antialiasing bilinear filter, as torchvision's antialias=True (the
    /// default); false: one bilinear warp, which may fuse with neighbouring geometric steps. Float images always warp.</summary>
    [Option("resize bytes with an antialiasing (triangle) filter, as torchvision's antialias=True; false: one bilinear warp, which fuses with neighbouring geometric steps")]
    public bool Antialias { get; init; } = true;
}

/// <summary>The crop drawn (top, left, height, width, in input pixels).</summary>
/// <param name="Top">First row of the crop in the input, in pixels.</param>
/// <param name="Left">First column of the crop in the input, in pixels.</param>
/// <param name="Height">Rows of the crop; ≥ 1 and Top + Height ≤ the input height.</param>
/// <param name="Width">Columns of the crop; ≥ 1 and Left + Width ≤ the input width.</param>
public readonly record struct CropParams(int Top, int Left, int Height, int Width);

/// <summary>
/// torchvision's RandomResizedCrop: up to ten tries of an area fraction drawn from scale and a log-uniform aspect
/// ratio; the first crop that fits is placed uniformly; otherwise the centre crop of the input clamped to the ratio
/// range. The crop is cut out and resized to size: bytes with antialias through a triangle filter (Pillow's bilinear,
/// <see cref="Resize"/>); otherwise, and for floats, one bilinear warp samples the crop at pixel centres
/// (torchvision's align_corners=False) with its edges clamped.
/// </summary>
/// <param name="options">The validated options.</param>
public sealed class RandomResizedCrop(RandomResizedCropOptions options) : WarpTransform<RandomResizedCropOptions, CropParams>(options)
{
    /// <summary>torchvision's get_params: up to ten tries (two draws each, two more for the position of a crop that
    /// fits), then the centre fallback.</summary>
    /// <param name="random">The sample's stream.</param>
    /// <param name="image">The input's shape; the crop lies inside it.</param>
    public override CropParams Sample(ref RandomStream random, in ImageInfo image)
    {
        int height = image.Height, width = image.Width;
        double area = (double)height * width;
        double logLow = Math.Log(Options.Ratio.Low), logHigh = Math.Log(Options.Ratio.High);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * random.Uniform(Options.Scale.Low, Options.Scale.High);
            double aspect = Math.Exp(random.Uniform(logLow, logHigh));
            int w = (int)Math.Round(Math.Sqrt(target * aspect), MidpointRounding.ToEven);
            int h = (int)Math.Round(Math.Sqrt(target / aspect), MidpointRounding.ToEven);
            if (0 < w && w <= width && 0 < h && h <= height)
            {
                int top = random.NextInt(height - h + 1);
                int left = random.NextInt(width - w + 1);
                return new CropParams(top, left, h, w);
            }
        }
        return CentreCrop(height, width, Options.Ratio);
    }

    /// <summary>torchvision's fallback: the whole input clamped to the ratio range, centred.</summary>
    /// <param name="height">Input height in pixels.</param>
    /// <param name="width">Input width in pixels.</param>
    /// <param name="ratio">The allowed width / height range.</param>
    public static CropParams CentreCrop(int height, int width, Interval ratio)
    {
        double inRatio = (double)width / height;
        int w, h;
        if (inRatio < ratio.Low)
        {
            w = width;
            h = (int)Math.Round(w / ratio.Low, MidpointRounding.ToEven);
        }
        else if (inRatio > ratio.High)
        {
            h = height;
            w = (int)Math.Round(h * ratio.High, MidpointRounding.ToEven);
        }
        else
        {
            w = width;
            h = height;
        }
        return new CropParams((height - h) / 2, (width - w) / 2, h, w);
    }

    /// <summary>The configured <see cref="RandomResizedCropOptions.Size"/> with the input's channels.</summary>
    /// <param name="p">The crop (unused: the output size is fixed).</param>
    /// <param name="input">The input shape (its channel count is kept).</param>
    public override ImageInfo OutputInfo(in CropParams p, in ImageInfo input) => new(Options.Size.Height, Options.Size.Width, input.Channels);

    /// <summary>Output (r, c) samples the crop at ((r + ½)·h/H − ½ + top, (c + ½)·w/W − ½ + left).</summary>
    /// <param name="p">The crop.</param>
    /// <param name="input">The input shape.</param>
    /// <param name="output">The output shape (H × W).</param>
    public override AffineMatrix Matrix(in CropParams p, in ImageInfo input, in ImageInfo output)
    {
        double sr = (double)p.Height / output.Height, sc = (double)p.Width / output.Width;
        return new AffineMatrix(sr, 0, p.Top + 0.5 * sr - 0.5, 0, sc, p.Left + 0.5 * sc - 0.5);
    }

    /// <summary>
    /// False: torchvision crops first, so the resize never reads pixels outside the crop, while one warp of the whole
    /// input would blend them into the crop's outermost half pixel. (Fusing a crop into the next warp is future work.)
    /// </summary>
    /// <param name="p">The crop.</param>
    public override bool WarpsExactly(in CropParams p) => false;

    /// <summary>Cuts the crop out and resizes it into <paramref name="dst"/>: Pillow's antialiased bilinear (or nearest,
    /// with interpolation nearest) when <see cref="RandomResizedCropOptions.Antialias"/> is on, else one warp.</summary>
    /// <param name="p">The crop; it must lie inside <paramref name="src"/>.</param>
    /// <param name="src">The input; not modified.</param>
    /// <param name="dst">Receives the output, <see cref="OutputInfo"/>'s shape.</param>
    public override void Apply(in CropParams p, Image<byte> src, Image<byte> dst)
    {
        using var crop = Crop(src, p);
        if (Options.Antialias)
            Resize.Apply(crop, dst, Options.Interpolation == Interpolation.Nearest ? ResizeInterpolation.Nearest : ResizeInterpolation.Bilinear);
        else WarpAffine.Apply(crop, dst, Matrix(p with { Top = 0, Left = 0 }, crop.Info, dst.Info), Warp);
    }

    /// <summary>Cuts the crop out and warps it into <paramref name="dst"/> (bilinear or nearest, pixel-centre aligned).</summary>
    /// <param name="p">The crop; it must lie inside <paramref name="src"/>.</param>
    /// <param name="src">The input; not modified.</param>
    /// <param name="dst">Receives the output, <see cref="OutputInfo"/>'s shape.</param>
    public override void Apply(in CropParams p, Image<float> src, Image<float> dst)
    {
        using var crop = Crop(src, p);
        WarpAffine.Apply(crop, dst, Matrix(p with { Top = 0, Left = 0 }, crop.Info, dst.Info), Warp);
    }

    private static Image<T> Crop<T>(Image<T> src, in CropParams p) where T : unmanaged
    {
        var crop = new Image<T>(p.Height, p.Width, src.Channels);
        int rowLength = p.Width * src.Channels;
        for (int r = 0; r < p.Height; r++)
            src.Row(p.Top + r).Slice(p.Left * src.Channels, rowLength).CopyTo(crop.Row(r));
        return crop;
    }
}
