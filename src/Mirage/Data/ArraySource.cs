using Mirage.Generation;
using Mirage.Imaging;

namespace Mirage.Data;

/// <summary>
/// Images already in memory: one float block of <paramref name="Count"/> samples laid out N×H×W×C (channels-last)
/// or N×C×H×W (channels-first), Keras's x of flow().
/// </summary>
/// <param name="Data">The values, sample after sample; kept, not copied (the caller must not change it while a flow reads
/// it). Usually 0..255 (Keras's generator rescales later).</param>
/// <param name="Count">Number of samples (N); ≥ 0.</param>
/// <param name="Height">Rows of each image (H); ≥ 1.</param>
/// <param name="Width">Columns of each image (W); ≥ 1.</param>
/// <param name="Channels">Values per pixel (C); ≥ 1.</param>
/// <param name="Layout">How each sample is laid out in <paramref name="Data"/>: (H, W, C) or (C, H, W).</param>
public sealed record ImageArray(float[] Data, int Count, int Height, int Width, int Channels, DataFormat Layout = DataFormat.ChannelsLast)
{
    /// <summary>One sample's shape as loaded, always (H, W, C) whatever <see cref="Layout"/> is.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Height, Width or Channels is less than 1.</exception>
    public ImageInfo SampleShape => ImageInfo.Create(Height, Width, Channels);

    /// <summary>Checks that the dimensions are positive and that <see cref="Data"/> holds exactly N·H·W·C values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Count is negative, or a dimension is less than 1.</exception>
    /// <exception cref="ArgumentException">The length of <see cref="Data"/> is not N·H·W·C.</exception>
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

    /// <summary>A source over <paramref name="x"/> (validated here; not copied).</summary>
    /// <param name="x">The images.</param>
    /// <param name="labels">Labels by this source's sample position (with <paramref name="rows"/>, already selected to them:
    /// <see cref="LabelSet.Select"/>), or null for none.</param>
    /// <param name="rows">The rows of <paramref name="x"/> this source exposes, in order (e.g. a validation split), or
    /// null for all; not checked until loaded.</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not hold N·H·W·C values.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="x"/> has a negative count or a dimension below 1.</exception>
    public ArraySource(ImageArray x, LabelSet? labels = null, int[]? rows = null)
    {
        x.Validate();
        _x = x;
        _rows = rows;
        Labels = labels ?? LabelSet.None;
    }

    /// <summary>The number of rows exposed: <c>rows.Length</c>, or every image of the array.</summary>
    public override int Count => _rows?.Length ?? _x.Count;
    /// <summary>(H, W, C) of the array's images.</summary>
    public override ImageInfo SampleShape => _x.SampleShape;

    /// <summary>Copies sample <paramref name="index"/> into <paramref name="dst"/>, converting channels-first to HWC.</summary>
    /// <param name="index">The sample, 0 to <see cref="Count"/> − 1.</param>
    /// <param name="dst">Receives the sample; exactly <see cref="SampleShape"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range (or a row given to the
    /// constructor lies outside the array).</exception>
    /// <exception cref="ArgumentException"><paramref name="dst"/> has another shape.</exception>
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
