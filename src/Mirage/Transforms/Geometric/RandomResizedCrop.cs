using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels.Geometric;
using Mirage.Randomness;

namespace Mirage.Transforms.Geometric;

/// <summary>Options of <see cref="RandomResizedCrop"/> (torchvision's RandomResizedCrop).</summary>
public sealed record RandomResizedCropOptions : WarpTransformOptions
{
    public override string Name => "random_resized_crop";
    public override ITransform Create() => new RandomResizedCrop(this);

    [Option("output size [height, width] in pixels", Min = 1, Max = 65535)]
    public Size Size { get; init => field = Checked(value); } = new(224, 224);

    [Option("fraction of the input area the crop covers, drawn uniformly from [low, high]", Min = 1e-6, Max = 1)]
    public Interval Scale { get; init => field = Checked(value); } = new(0.08, 1.0);

    [Option("aspect ratio (width / height) of the crop, drawn log-uniformly from [low, high]", Min = 1e-6, Max = 1e6)]
    public Interval Ratio { get; init => field = Checked(value); } = new(3.0 / 4.0, 4.0 / 3.0);

    [Option("resize bytes with an antialiasing (triangle) filter, as torchvision's antialias=True; false: one bilinear warp, which fuses with neighbouring geometric steps")]
    public bool Antialias { get; init; } = true;
}

/// <summary>The crop drawn (top, left, height, width, in input pixels).</summary>
public readonly record struct CropParams(int Top, int Left, int Height, int Width);

/// <summary>
/// torchvision's RandomResizedCrop: up to ten tries of an area fraction drawn from scale and a log-uniform aspect
/// ratio; the first crop that fits is placed uniformly; otherwise the centre crop of the input clamped to the ratio
/// range. The crop is cut out and resized to size: bytes with antialias through a triangle filter (Pillow's bilinear,
/// <see cref="Resize"/>); otherwise, and for floats, one bilinear warp samples the crop at pixel centres
/// (torchvision's align_corners=False) with its edges clamped.
/// </summary>
public sealed class RandomResizedCrop(RandomResizedCropOptions options) : WarpTransform<RandomResizedCropOptions, CropParams>(options)
{
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

    public override ImageInfo OutputInfo(in CropParams p, in ImageInfo input) => new(Options.Size.Height, Options.Size.Width, input.Channels);

    /// <summary>Output (r, c) samples the crop at ((r + ½)·h/H − ½ + top, (c + ½)·w/W − ½ + left).</summary>
    public override AffineMatrix Matrix(in CropParams p, in ImageInfo input, in ImageInfo output)
    {
        double sr = (double)p.Height / output.Height, sc = (double)p.Width / output.Width;
        return new AffineMatrix(sr, 0, p.Top + 0.5 * sr - 0.5, 0, sc, p.Left + 0.5 * sc - 0.5);
    }

    /// <summary>
    /// False: torchvision crops first, so the resize never reads pixels outside the crop, while one warp of the whole
    /// input would blend them into the crop's outermost half pixel. (Fusing a crop into the next warp is future work.)
    /// </summary>
    public override bool WarpsExactly(in CropParams p) => false;

    public override void Apply(in CropParams p, Image<byte> src, Image<byte> dst)
    {
        using var crop = Crop(src, p);
        if (Options.Antialias)
            Resize.Apply(crop, dst, Options.Interpolation == Interpolation.Nearest ? ResizeInterpolation.Nearest : ResizeInterpolation.Bilinear);
        else WarpAffine.Apply(crop, dst, Matrix(p with { Top = 0, Left = 0 }, crop.Info, dst.Info), Warp);
    }

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
