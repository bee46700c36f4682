using System.Runtime.InteropServices;
using Mirage.Imaging;

namespace Mirage.Codecs;

/// <summary>
/// JPEG decoding through the system's libjpeg-turbo (TurboJPEG API, <c>libturbojpeg.so.0</c>, Debian's libturbojpeg0),
/// which is SIMD-accelerated where SkiaSharp's bundled decoder is not. Pillow decodes with the same library and the
/// same default (accurate integer DCT, fancy upsampling), so pixels match Keras's load_img. Optional at run time:
/// <see cref="IsAvailable"/> is false when the library is missing and callers fall back to SkiaSharp.
/// </summary>
internal static unsafe class TurboJpeg
{
    private const string Library = "libturbojpeg.so.0";
    private const int PixelFormatRgb = 0, PixelFormatGray = 6, PixelFormatRgba = 7;
    private const int ColorspaceGray = 2;
    private const int FlagStopOnWarning = 8192;

    [StructLayout(LayoutKind.Sequential)]
    private struct ScalingFactor { public int Num, Denom; }

    [DllImport(Library, EntryPoint = "tjInitDecompress")] private static extern nint InitDecompress();
    [DllImport(Library, EntryPoint = "tjDestroy")] private static extern int Destroy(nint handle);
    [DllImport(Library, EntryPoint = "tjDecompressHeader3")]
    private static extern int DecompressHeader(nint handle, byte* jpeg, nuint size, out int width, out int height, out int subsampling, out int colorspace);
    [DllImport(Library, EntryPoint = "tjDecompress2")]
    private static extern int Decompress(nint handle, byte* jpeg, nuint size, byte* dst, int width, int pitch, int height, int pixelFormat, int flags);
    [DllImport(Library, EntryPoint = "tjGetErrorStr2")] private static extern nint GetErrorString(nint handle);
    [DllImport(Library, EntryPoint = "tjGetScalingFactors")] private static extern ScalingFactor* GetScalingFactors(out int count);

    private static readonly Lazy<bool> Available = new(() =>
    {
        if (Environment.GetEnvironmentVariable("MIRAGE_DISABLE_TURBOJPEG") is "1" or "true") return false;
        if (!NativeLibrary.TryLoad(Library, out var lib)) return false;
        return NativeLibrary.TryGetExport(lib, "tjDecompress2", out _) && NativeLibrary.TryGetExport(lib, "tjDecompressHeader3", out _);
    });

    /// <summary>True when libturbojpeg.so.0 could be loaded (set MIRAGE_DISABLE_TURBOJPEG=1 to force SkiaSharp). Whether
    /// it decodes is the configuration's choice (<see cref="MirageConfiguration.JpegDecoder"/>, <see cref="DecodeSettings"/>).</summary>
    public static bool IsAvailable => Available.Value;

    // A TurboJPEG handle is not thread-safe; one per thread, kept for the thread's life. A cache of a native resource,
    // not a setting: which thread decodes never changes what is decoded.
    [ThreadStatic] private static HandleHolder? t_handle;

    private sealed class HandleHolder
    {
        public readonly nint Handle = InitDecompress();
        ~HandleHolder() { if (Handle != 0) Destroy(Handle); }
    }

    private static nint Handle => (t_handle ??= new HandleHolder()).Handle;

    // libjpeg's state after an error (a longjmp out of the decoder) is not trustworthy: the next good file can
    // fail with "Bogus Huffman table". A failed call therefore retires the thread's handle.
    private static void RetireHandle()
    {
        var holder = t_handle;
        t_handle = null;
        if (holder is not null)
        {
            Destroy(holder.Handle);
            GC.SuppressFinalize(holder);
        }
    }

    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    /// <summary>
    /// Decodes a JPEG. With <paramref name="minWidth"/>/<paramref name="minHeight"/> set, decodes at the smallest DCT
    /// scale (1/8 … 1) whose size still covers them, which skips most of the IDCT work for large photos. Returns
    /// false (and no image) when TurboJPEG cannot decode the stream — CMYK, a warning such as extraneous bytes, a
    /// corrupt or truncated file — and the caller falls back to SkiaSharp, which decodes what it can and otherwise
    /// says precisely what is wrong.
    /// </summary>
    /// <param name="data">The whole JPEG file.</param>
    /// <param name="mode">Channels of the result (Pillow's conversions).</param>
    /// <param name="image">The decoded image (the caller owns it), or null when false is returned.</param>
    /// <param name="minWidth">Smallest acceptable width; 0 for a full-size decode.</param>
    /// <param name="minHeight">Smallest acceptable height; 0 for a full-size decode.</param>
    /// <param name="ownEighthDecoder">Let Mirage's 1/8 decoder take a 1/8-scale request (same bytes, faster): the
    /// configuration's <see cref="MirageConfiguration.EighthScaleJpegDecoder"/>.</param>
    /// <param name="maxPixels">A header claiming more pixels is not decoded here (false); Skia then reports it.</param>
    public static bool TryDecode(ReadOnlySpan<byte> data, ColorMode mode, out Image<byte>? image,
        int minWidth = 0, int minHeight = 0, bool ownEighthDecoder = true, long maxPixels = ImageDecoder.DefaultMaxPixels)
    {
        image = null;
        nint handle = Handle;
        if (handle == 0) return false;
        fixed (byte* jpeg = data)
        {
            if (DecompressHeader(handle, jpeg, (nuint)data.Length, out int width, out int height, out _, out int colorspace) != 0)
            {
                RetireHandle();
                return false;
            }
            if (width < 1 || height < 1 || (long)width * height > maxPixels) return false;
            var (fullWidth, fullHeight) = (width, height);
            (width, height) = ScaledSize(width, height, minWidth, minHeight);
            // At 1/8 Mirage's own decoder gives the same bytes about twice as fast (it skips AC codes in bulk).
            if (ownEighthDecoder && JpegEighthDecoder.IsEighthScale(fullWidth, fullHeight, width, height)
                && JpegEighthDecoder.TryDecode(data, mode, out image))
                return true;

            // Pillow keeps a grayscale JPEG as L; a colour JPEG becomes RGB and grayscale is computed from RGB.
            bool grayJpeg = colorspace == ColorspaceGray;
            int channels = mode switch { ColorMode.Grayscale => 1, ColorMode.Rgb => 3, _ => 4 };
            int decodeChannels = mode == ColorMode.Grayscale && !grayJpeg ? 3 : channels;
            int format = decodeChannels switch { 1 => PixelFormatGray, 3 => PixelFormatRgb, _ => PixelFormatRgba };

            // Not cleared: libjpeg-turbo writes every byte (on failure the image is dropped).
            var decoded = Image<byte>.Uninitialized(ImageInfo.Create(height, width, decodeChannels), slack: 1);
            try
            {
                fixed (byte* raw = decoded.RawBuffer)
                {
                    decoded.SetOffset(RowStartOffset((nint)raw));
                    byte* dst = raw + RowStartOffset((nint)raw);
                    if (Decompress(handle, jpeg, (nuint)data.Length, dst, width, width * decodeChannels, height, format, FlagStopOnWarning) != 0)
                    {
                        RetireHandle();
                        decoded.Dispose();
                        return false;
                    }
                }
                if (decodeChannels == channels)
                {
                    image = decoded;
                    return true;
                }
                image = Image<byte>.Uninitialized(ImageInfo.Create(height, width, 1)); // ColorToL writes every byte
                PixelConvert.ColorToL(decoded.Span, image.Span, channels: 3);
                decoded.Dispose();
                return true;
            }
            catch
            {
                decoded.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Where the decoded image starts in its buffer (0 or 1) so that its rows never start 16- or 32-byte aligned.
    /// libjpeg-turbo's SIMD colour converters (AVX2 and SSE2) store a row with non-temporal <c>vmovntdq</c>/<c>movntdq</c>
    /// when the row starts aligned to the vector size: the decoded picture then bypasses the cache and the next pass
    /// (resize, warp) reads it back from DRAM, about 2× slower. An odd start makes every row start odd when the row
    /// length (width × channels) is even; with an odd row length every other row starts even and at most one row in
    /// 16 can be aligned. Row ends and the image's contents are unaffected.
    /// </summary>
    internal static int RowStartOffset(nint address) => (address & 1) == 0 ? 1 : 0;

    /// <summary>The JPEG's width and height from its header (false when TurboJPEG cannot read the header).</summary>
    public static bool TryReadSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = height = 0;
        nint handle = Handle;
        if (handle == 0) return false;
        fixed (byte* jpeg = data)
        {
            if (DecompressHeader(handle, jpeg, (nuint)data.Length, out width, out height, out _, out _) == 0) return true;
            RetireHandle();
            return false;
        }
    }

    /// <summary>The smallest TurboJPEG scale whose output still covers (minWidth, minHeight); full size when none asked.</summary>
    internal static (int Width, int Height) ScaledSize(int width, int height, int minWidth, int minHeight)
    {
        if (minWidth <= 0 && minHeight <= 0) return (width, height);
        var factors = GetScalingFactors(out int count);
        (int W, int H) best = (width, height);
        for (int i = 0; i < count; i++)
        {
            var f = factors[i];
            if (f.Num > f.Denom) continue; // upscaling never helps
            int w = (width * f.Num + f.Denom - 1) / f.Denom, h = (height * f.Num + f.Denom - 1) / f.Denom;
            if (w >= minWidth && h >= minHeight && (long)w * h < (long)best.W * best.H) best = (w, h);
        }
        return best;
    }

    private static string ErrorText(nint handle) => Marshal.PtrToStringAnsi(GetErrorString(handle)) ?? "unknown error";
}
