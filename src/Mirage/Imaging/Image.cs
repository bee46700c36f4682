using System.Buffers;
using System.Runtime.CompilerServices;

namespace Mirage.Imaging;

/// <summary>
/// A height × width × channels image (channels-last, row-major) over a pooled buffer. T is byte or float in practice;
/// any channel count ≥ 1 is allowed. Dispose returns the buffer to the pool; using a disposed image throws.
/// </summary>
public sealed class Image<T> : IDisposable where T : unmanaged
{
    private T[]? _buffer;

    public Image(int height, int width, int channels) : this(ImageInfo.Create(height, width, channels)) { }

    public Image(ImageInfo info) : this(info, clear: true, slack: 0) { }

    private Image(ImageInfo info, bool clear, int slack)
    {
        info = ImageInfo.Create(info.Height, info.Width, info.Channels);
        Info = info;
        _buffer = ArrayPool<T>.Shared.Rent(info.Length + slack);
        if (clear) Span.Clear(); // pooled arrays hold old data; a new image starts at zero
    }

    /// <summary>
    /// An image whose values are NOT cleared (the pool's old data), for a caller that overwrites every value; with
    /// <paramref name="slack"/> spare values after it, so <see cref="SetOffset"/> can move its start.
    /// </summary>
    internal static Image<T> Uninitialized(ImageInfo info, int slack = 0) => new(info, clear: false, slack);

    /// <summary>
    /// Moves the image's first value to index <paramref name="offset"/> of its buffer (within the slack it was made
    /// with), before anything is written: native decoders get a row start of a chosen alignment this way
    /// (<see cref="Codecs.TurboJpeg"/>).
    /// </summary>
    internal void SetOffset(int offset)
    {
        if (offset < 0 || offset + Info.Length > Buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The buffer holds {Buffer.Length} values; the image needs {Info.Length}.");
        _offset = offset;
    }

    /// <summary>The whole pooled buffer (the image is <see cref="Span"/>, from <see cref="SetOffset"/>'s offset on).</summary>
    internal T[] RawBuffer => Buffer;

    /// <summary>Wraps an existing HWC array without copying; the image does not return it to the pool.</summary>
    public static Image<T> Wrap(T[] data, int height, int width, int channels)
    {
        var info = ImageInfo.Create(height, width, channels);
        if (data.Length < info.Length)
            throw new ArgumentException($"Buffer holds {data.Length} values but a {info} image needs {info.Length}.", nameof(data));
        return new Image<T>(info, data, pooled: false);
    }

    private Image(ImageInfo info, T[] data, bool pooled)
    {
        Info = info;
        _buffer = data;
        _pooled = pooled;
    }

    private readonly bool _pooled = true;
    private int _offset;

    public ImageInfo Info { get; }
    public int Height => Info.Height;
    public int Width => Info.Width;
    public int Channels => Info.Channels;
    public int Length => Info.Length;
    /// <summary>Values per row (width × channels).</summary>
    public int RowStride => Info.Width * Info.Channels;

    public Span<T> Span => Buffer.AsSpan(_offset, Info.Length);

    public Span<T> Row(int y) => Buffer.AsSpan(_offset + y * RowStride, RowStride);

    public ref T this[int y, int x, int c]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Buffer[_offset + (y * Info.Width + x) * Info.Channels + c];
    }

    private T[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(Image<T>));

    public Image<T> Clone()
    {
        var copy = new Image<T>(Info);
        Span.CopyTo(copy.Span);
        return copy;
    }

    public bool SameShape(Image<T> other) => Info == other.Info;

    /// <summary>Builds an HWC image from channels-first (CHW) data.</summary>
    public static Image<T> FromChannelsFirst(ReadOnlySpan<T> chw, int height, int width, int channels)
    {
        var image = new Image<T>(height, width, channels);
        if (chw.Length < image.Length)
            throw new ArgumentException($"Channels-first data holds {chw.Length} values but {channels}x{height}x{width} needs {image.Length}.", nameof(chw));
        var dst = image.Span;
        int plane = height * width;
        for (int c = 0; c < channels; c++)
        {
            var src = chw.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++) dst[i * channels + c] = src[i];
        }
        return image;
    }

    /// <summary>Copies this image into <paramref name="chw"/> in channels-first (CHW) order.</summary>
    public void CopyToChannelsFirst(Span<T> chw)
    {
        if (chw.Length < Length)
            throw new ArgumentException($"Destination holds {chw.Length} values but this {Info} image needs {Length}.", nameof(chw));
        var src = Span;
        int channels = Channels, plane = Height * Width;
        for (int c = 0; c < channels; c++)
        {
            var dst = chw.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++) dst[i] = src[i * channels + c];
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null && _pooled) ArrayPool<T>.Shared.Return(buffer);
    }

    public override string ToString() => $"Image<{typeof(T).Name}> {Info}";
}
