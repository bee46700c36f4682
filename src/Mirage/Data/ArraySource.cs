using Mirage.Generation;
using Mirage.Imaging;

namespace Mirage.Data;

/// <summary>
/// Images already in memory: one float block of <paramref name="Count"/> samples laid out N×H×W×C (channels-last)
/// or N×C×H×W (channels-first), Keras's x of flow().
/// </summary>
public sealed record ImageArray(float[] Data, int Count, int Height, int Width, int Channels, DataFormat Layout = DataFormat.ChannelsLast)
{
    public ImageInfo SampleShape => ImageInfo.Create(Height, Width, Channels);

    public void Validate()
    {
        if (Count < 0) throw new ArgumentOutOfRangeException(nameof(Count), Count, "The number of images cannot be negative.");
        long need = (long)Count * SampleShape.Length;
        if (Data.Length != need)
            throw new ArgumentException($"x holds {Data.Length} values but {Count} images of {Height}x{Width}x{Channels} need {need}.");
    }
}

/// <summary>flow()'s source: samples copied out of an <see cref="ImageArray"/> (optionally a subset of its rows).</summary>
public sealed class ArraySource : DataSource
{
    private readonly ImageArray _x;
    private readonly int[]? _rows;

    public ArraySource(ImageArray x, LabelSet? labels = null, int[]? rows = null)
    {
        x.Validate();
        _x = x;
        _rows = rows;
        Labels = labels ?? LabelSet.None;
    }

    public override int Count => _rows?.Length ?? _x.Count;
    public override ImageInfo SampleShape => _x.SampleShape;

    public override void Load(int index, Image<float> dst)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The source holds {Count} samples.");
        if (dst.Info != SampleShape) throw new ArgumentException($"Destination is {dst.Info}, samples are {SampleShape}.", nameof(dst));
        int row = _rows?[index] ?? index, len = SampleShape.Length;
        var sample = _x.Data.AsSpan(row * len, len);
        if (_x.Layout == DataFormat.ChannelsLast)
        {
            sample.CopyTo(dst.Span);
            return;
        }
        int plane = _x.Height * _x.Width, channels = _x.Channels;
        var d = dst.Span;
        for (int c = 0; c < channels; c++)
        {
            var p = sample.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++) d[i * channels + c] = p[i];
        }
    }
}
