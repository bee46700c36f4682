using System.Buffers;
using System.Runtime.CompilerServices;

namespace Mirage.Imaging;

/// <summary>
/// A height × width × channels image (channels-last, row-major) over a pooled buffer. T is byte or float in practice;
/// any channel count ≥ 1 is allowed. Dispose returns the buffer to the pool; using a disposed image throws.
/// </summary>
/// <remarks>Not synchronised: concurrent reads are safe, a write concurrent with any other access is not.</remarks>
public sealed class Image<T> : IDisposable where T : unmanaged
{
    private T[]? _buffer;

    /// <summary>
    /// Rents a buffer from <see cref="ArrayPool{T}.Shared"/> and clears it: a new image is all zeros. Dispose the image
    /// to give the buffer back.
    /// </summary>
    /// <param name="height">Rows (H); at least 1.</param>
    /// <param name="width">Columns (W); at least 1.</param>
    /// <param name="channels">Values per pixel (C); at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is less than 1.</exception>
    /// <exception cref="OverflowException">height × width × channels does not fit in an <see cref="int"/>.</exception>
    public Image(int height, int width, int channels) : this(ImageInfo.Create(height, width, channels)) { }

    /// <summary>A zero-filled image of the shape <paramref name="info"/> over a pooled buffer.</summary>
    /// <param name="info">The shape; it is validated again, so a default or hand-built <see cref="ImageInfo"/> with a
    /// dimension below 1 is refused.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension of <paramref name="info"/> is less than 1.</exception>
    /// <exception cref="OverflowException">The value count does not fit in an <see cref="int"/>.</exception>
    public Image(ImageInfo info) : this(info, clear: true, slack: 0, ArrayPool<T>.Shared) { }

    private Image(ImageInfo info, bool clear, int slack, ArrayPool<T> pool)
    {
        info = ImageInfo.Create(info.Height, info.Width, info.Channels);
        Info = info;
        _pool = pool;
        _buffer = pool.Rent(info.Length + slack);
        if (clear) Span.Clear(); // pooled arrays hold old data; a new image starts at zero
    }

    /// <summary>
    /// An image whose values are NOT cleared (the pool's old data), for a caller that overwrites every value; with
    /// <paramref name="slack"/> spare values after it, so <see cref="SetOffset"/> can move its start.
    /// </summary>
    internal static Image<T> Uninitialized(ImageInfo info, int slack = 0) => new(info, clear: false, slack, ArrayPool<T>.Shared);

    /// <summary>An uninitialized image over a buffer of <paramref name="pool"/> (a <see cref="MirageConfiguration"/>'s),
    /// returned there on dispose.</summary>
    internal static Image<T> Uninitialized(ImageInfo info, ArrayPool<T> pool) => new(info, clear: false, slack: 0, pool);

    /// <summary>A zero-filled image over a buffer of <paramref name="pool"/>, returned there on dispose.</summary>
    internal static Image<T> Rent(ImageInfo info, ArrayPool<T> pool) => new(info, clear: true, slack: 0, pool);

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
    /// <param name="data">Channels-last, row-major values; may be longer than the image (the tail is ignored). The
    /// caller keeps ownership: writes through the image change this array.</param>
    /// <param name="height">Rows (H); at least 1.</param>
    /// <param name="width">Columns (W); at least 1.</param>
    /// <param name="channels">Values per pixel (C); at least 1.</param>
    /// <returns>An image viewing <paramref name="data"/> from index 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> holds fewer than height × width × channels values.</exception>
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
        _pool = pooled ? ArrayPool<T>.Shared : null;
    }

    /// <summary>Where the buffer goes back on dispose; null for a wrapped array (the caller's).</summary>
    private readonly ArrayPool<T>? _pool;
    private int _offset;

    /// <summary>The shape, (H, W, C); fixed for the image's lifetime.</summary>
    public ImageInfo Info { get; }
    /// <summary>Rows (H), in pixels; at least 1.</summary>
    public int Height => Info.Height;
    /// <summary>Columns (W), in pixels; at least 1.</summary>
    public int Width => Info.Width;
    /// <summary>Values per pixel (C): 1 grayscale, 3 RGB, 4 RGBA; any count ≥ 1 is allowed.</summary>
    public int Channels => Info.Channels;
    /// <summary>Number of values, height × width × channels (the length of <see cref="Span"/>, not of the pooled
    /// buffer, which may be longer).</summary>
    public int Length => Info.Length;
    /// <summary>Values per row (width × channels).</summary>
    public int RowStride => Info.Width * Info.Channels;

    /// <summary>
    /// All values, channels-last and row-major: value (y, x, c) is at (y × <see cref="Width"/> + x) ×
    /// <see cref="Channels"/> + c. The span views the image's buffer; do not keep it past <see cref="Dispose"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The image has been disposed.</exception>
    public Span<T> Span => Buffer.AsSpan(_offset, Info.Length);

    /// <summary>Row <paramref name="y"/> (<see cref="RowStride"/> values), a view into the image's buffer.</summary>
    /// <param name="y">Row index, 0 (top) to <see cref="Height"/> − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The row lies outside the buffer (rows past
    /// <see cref="Height"/> are not always caught: the pooled buffer may be longer than the image).</exception>
    /// <exception cref="ObjectDisposedException">The image has been disposed.</exception>
    public Span<T> Row(int y) => Buffer.AsSpan(_offset + y * RowStride, RowStride);

    /// <summary>A reference to value (row <paramref name="y"/>, column <paramref name="x"/>, channel
    /// <paramref name="c"/>); indices are not checked against the shape, only against the buffer.</summary>
    /// <param name="y">Row, 0 (top) to <see cref="Height"/> − 1.</param>
    /// <param name="x">Column, 0 (left) to <see cref="Width"/> − 1.</param>
    /// <param name="c">Channel, 0 to <see cref="Channels"/> − 1.</param>
    /// <exception cref="ObjectDisposedException">The image has been disposed.</exception>
    public ref T this[int y, int x, int c]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Buffer[_offset + (y * Info.Width + x) * Info.Channels + c];
    }

    private T[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(Image<T>));

    /// <summary>A deep copy in a new pooled buffer; the caller owns (and disposes) it.</summary>
    /// <exception cref="ObjectDisposedException">The image has been disposed.</exception>
    public Image<T> Clone()
    {
        var copy = new Image<T>(Info);
        Span.CopyTo(copy.Span);
        return copy;
    }

    /// <summary>Whether <paramref name="other"/> has the same height, width and channel count.</summary>
    /// <param name="other">The image to compare with.</param>
    public bool SameShape(Image<T> other) => Info == other.Info;

    /// <summary>Builds an HWC image from channels-first (CHW) data.</summary>
    /// <param name="chw">Values in (C, H, W) order; may be longer than needed (the tail is ignored).</param>
    /// <param name="height">Rows (H); at least 1.</param>
    /// <param name="width">Columns (W); at least 1.</param>
    /// <param name="channels">Channels (C); at least 1.</param>
    /// <returns>A new pooled image the caller owns (and disposes).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="chw"/> is shorter than channels × height × width.</exception>
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
    /// <param name="chw">Destination of at least <see cref="Length"/> values; values past that are left untouched.</param>
    /// <exception cref="ArgumentException"><paramref name="chw"/> is shorter than <see cref="Length"/>.</exception>
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

    /// <summary>
    /// Returns a pooled buffer to its pool, <see cref="ArrayPool{T}.Shared"/> for every image user code makes (a
    /// <see cref="Wrap"/>ped array stays the caller's).
    /// Safe to call more than once, from any thread; afterwards every access to the values throws
    /// <see cref="ObjectDisposedException"/>. Spans taken earlier must no longer be used.
    /// </summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) _pool?.Return(buffer);
    }

    /// <summary>The element type and shape, e.g. <c>Image&lt;Byte&gt; 224x224x3</c>.</summary>
    public override string ToString() => $"Image<{typeof(T).Name}> {Info}";
}
