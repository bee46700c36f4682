using Mirage.Generation;
using BenchmarkDotNet.Attributes;
using Mirage.Geometry;
using Mirage.Imaging;
using Mirage.Kernels;
using Mirage.Kernels.Geometric;
using Mirage.Kernels.Photometric;

namespace Mirage.Benchmarks;

/// <summary>Shared set-up: a pool of reference-configuration matrices, cycled per invocation.</summary>
public abstract class WarpBench
{
    protected const int Pool = 32;
    protected ReferenceConfig.Draw[] Draws = [];
    protected int Next;

    protected AffineMatrix NextMatrix() => Draws[Next++ & (Pool - 1)].Matrix;
}

/// <summary>224×224×3, reference-configuration matrices: byte and float × order × fill mode.</summary>
[MemoryDiagnoser, MedianColumn, MinColumn]
public class WarpModes : WarpBench
{
    [Params(Interpolation.Nearest, Interpolation.Bilinear)] public Interpolation Order;
    [Params(FillMode.Nearest, FillMode.Constant, FillMode.Reflect, FillMode.Wrap)] public FillMode Fill;

    private Image<byte> _src = null!, _dst = null!;
    private Image<float> _fsrc = null!, _fdst = null!;
    private WarpOptions _opt;

    [GlobalSetup]
    public void Setup()
    {
        _src = ReferenceConfig.Picture(224, 224, 3, 1);
        _dst = new Image<byte>(_src.Info);
        _fsrc = ImageConvert.ToFloat(_src);
        _fdst = new Image<float>(_src.Info);
        _opt = new WarpOptions(Order, Fill, 0f, KerasCompatible: true);
        Draws = ReferenceConfig.Draws(Pool, 224, 224, _opt.Centre);
    }

    [Benchmark] public void Byte() => WarpAffine.Apply(_src, _dst, NextMatrix(), _opt);
    [Benchmark] public void Float() => WarpAffine.Apply(_fsrc, _fdst, NextMatrix(), _opt);
}

/// <summary>Bilinear, fill nearest, byte and float, 64² to 1024² (RGB).</summary>
[MemoryDiagnoser, MedianColumn, MinColumn]
public class WarpSizes : WarpBench
{
    [Params(64, 224, 512, 1024)] public int Size;

    private Image<byte> _src = null!, _dst = null!;
    private Image<float> _fsrc = null!, _fdst = null!;
    private readonly WarpOptions _opt = new(Interpolation.Bilinear, FillMode.Nearest);

    [GlobalSetup]
    public void Setup()
    {
        _src = ReferenceConfig.Picture(Size, Size, 3, 1);
        _dst = new Image<byte>(_src.Info);
        _fsrc = ImageConvert.ToFloat(_src);
        _fdst = new Image<float>(_src.Info);
        Draws = ReferenceConfig.Draws(Pool, Size, Size, _opt.Centre);
    }

    [Benchmark] public void Byte() => WarpAffine.Apply(_src, _dst, NextMatrix(), _opt);
    [Benchmark] public void ByteScalar() => WarpAffine.Apply(_src, _dst, NextMatrix(), _opt, vectorized: false);
    [Benchmark] public void Float() => WarpAffine.Apply(_fsrc, _fdst, NextMatrix(), _opt);
}

/// <summary>Byte → float training tensors at 224²×3: fused warp + normalize vs warp then convert, and convert alone.</summary>
[MemoryDiagnoser, MedianColumn, MinColumn]
public class FusedConversion : WarpBench
{
    [Params(DataFormat.ChannelsLast, DataFormat.ChannelsFirst)] public DataFormat Layout;

    private Image<byte> _src = null!, _dst = null!;
    private float[] _tensor = [];
    private readonly float[] _scale = [1 / (255f * 0.229f), 1 / (255f * 0.224f), 1 / (255f * 0.225f)];
    private readonly float[] _offset = [-0.485f / 0.229f, -0.456f / 0.224f, -0.406f / 0.225f];
    private readonly WarpOptions _opt = new(Interpolation.Bilinear, FillMode.Nearest);

    [GlobalSetup]
    public void Setup()
    {
        _src = ReferenceConfig.Picture(224, 224, 3, 1);
        _dst = new Image<byte>(_src.Info);
        _tensor = new float[_src.Length];
        Draws = ReferenceConfig.Draws(Pool, 224, 224, _opt.Centre);
    }

    [Benchmark] public void WarpToFloatFused() => WarpAffine.ApplyToFloat(_src, _tensor, Layout, NextMatrix(), _opt, _scale, _offset);

    [Benchmark]
    public void WarpThenNormalize()
    {
        WarpAffine.Apply(_src, _dst, NextMatrix(), _opt);
        Normalize.ToFloat(_dst, _tensor, Layout, _scale, _offset);
    }

    [Benchmark] public void NormalizeOnly() => Normalize.ToFloat(_src, _tensor, Layout, _scale, _offset);
}

/// <summary>Flips and point operations at 224²×3, in place.</summary>
[MemoryDiagnoser, MedianColumn, MinColumn]
public class FlipsAndPointOps
{
    private Image<byte> _b = null!;
    private Image<float> _f = null!;

    [GlobalSetup]
    public void Setup()
    {
        _b = ReferenceConfig.Picture(224, 224, 3, 1);
        _f = ImageConvert.ToFloat(_b);
    }

    [Benchmark] public void FlipHorizontalByte() => Flip.Horizontal(_b, _b);
    [Benchmark] public void FlipHorizontalByteScalar() => Flip.Horizontal(_b, _b, vectorized: false);
    [Benchmark] public void FlipHorizontalFloat() => Flip.Horizontal(_f, _f);
    [Benchmark] public void FlipVerticalByte() => Flip.Vertical(_b, _b);
    [Benchmark] public void FlipVerticalFloat() => Flip.Vertical(_f, _f);
    [Benchmark] public void ChannelShiftFloat() => PointOps.ShiftClamp(_f.Span, _f.Span, 0f, 0f, 255f);
    [Benchmark] public void BrightnessFloat() => PointOps.Brightness(_f.Span, _f.Span, 1f);
    [Benchmark] public void BrightnessByte() => PointOps.Brightness(_b.Span, _b.Span, 1f);
    [Benchmark] public void RescaleFloat() => PointOps.Scale(_f.Span, _f.Span, 1f);
}
