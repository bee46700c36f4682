using System.Buffers;
using Mirage.Imaging;
using SkiaSharp;

namespace Mirage.Codecs;

/// <summary>
/// Reads JPEG, PNG, BMP, WebP, GIF (first frame), PNM (PBM/PGM/PPM) and baseline TIFF into 8-bit HWC images with Keras's color_mode meaning
/// (what keras_preprocessing's load_img + img_to_array give):
/// grayscale = Pillow's L = (19595·R + 38470·G + 7471·B + 0x8000) >> 16 (a 1-channel source is kept as stored);
/// rgb drops alpha without compositing; rgba keeps straight (unpremultiplied) alpha.
/// No colour management (embedded ICC profiles are ignored, as Pillow does) and, by default, no EXIF rotation
/// (Keras ignores it). Every failure is an <see cref="ImageDecodeException"/> naming the file and the reason.
/// </summary>
/// <remarks>Thread-safe: every method may be called from many threads at once (libjpeg-turbo handles are per thread).
/// Every returned image is new and owned by the caller.</remarks>
public static class ImageDecoder
{
    internal const string SupportedFormats = "PNG, JPEG, BMP, WebP, GIF, PNM, TIFF";

    /// <summary>
    /// The default decompression-bomb limit: 178,956,970 pixels (Pillow's MAX_IMAGE_PIXELS × 2, where Pillow refuses
    /// outright). A file whose header claims more is refused before any pixel memory is allocated; pass a larger
    /// maxPixels (API: <c>MaxPixels</c> of the flow/augment options; CLI: <c>--max-pixels</c>) to read it anyway.
    /// </summary>
    public const long DefaultMaxPixels = 178_956_970;

    /// <summary>Decodes the file at <paramref name="path"/>; throws <see cref="ImageDecodeException"/> naming the file.</summary>
    /// <param name="path">The image file; only a regular file is opened (a FIFO or device is refused, never waited on).</param>
    /// <param name="mode">Channels of the result: Grayscale 1, Rgb 3, Rgba 4 (Keras color_mode).</param>
    /// <returns>An HWC byte image at the stored size, EXIF orientation not applied (as Keras); the caller owns and
    /// disposes it.</returns>
    /// <exception cref="ImageDecodeException">The file is missing, not a regular file, empty, truncated, corrupt, not a
    /// supported format, or its header claims more than <see cref="DefaultMaxPixels"/> pixels.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    public static Image<byte> Decode(string path, ColorMode mode) => Decode(path, mode, applyOrientation: false);

    /// <summary>
    /// Decodes the file at <paramref name="path"/>. With <paramref name="applyOrientation"/> the EXIF orientation is
    /// applied (the image comes out as a viewer shows it); Keras does not do this, so it is off by default.
    /// </summary>
    /// <param name="path">The image file; only a regular file is opened.</param>
    /// <param name="mode">Channels of the result: Grayscale 1, Rgb 3, Rgba 4 (Keras color_mode).</param>
    /// <param name="applyOrientation">Rotate/mirror by the EXIF orientation (orientations 5..8 swap height and width).</param>
    /// <param name="maxPixels">Files whose header claims more pixels are refused before decoding (decompression bombs).</param>
    /// <param name="configuration">Which JPEG decoder runs; null for <see cref="MirageConfiguration.Default"/>.</param>
    /// <returns>An HWC byte image; the caller owns and disposes it.</returns>
    /// <exception cref="ImageDecodeException">The file is missing, not a regular file, empty, truncated, corrupt, not a
    /// supported format, or claims more than <paramref name="maxPixels"/> pixels.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value, or
    /// <paramref name="maxPixels"/> is less than 1.</exception>
    /// <exception cref="MirageException">The configuration asks for libjpeg-turbo and the system has none.</exception>
    public static Image<byte> Decode(string path, ColorMode mode, bool applyOrientation, long maxPixels = DefaultMaxPixels,
        MirageConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ValidateMode(mode);
        var buffer = ReadFile(path, out int length);
        try
        {
            return DecodeCore(buffer.AsSpan(0, length), mode, applyOrientation, path, maxPixels, DecodeSettings.Of(configuration));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Decodes a file that will be shrunk to about <paramref name="minWidth"/>×<paramref name="minHeight"/>: a JPEG is
    /// decoded by libjpeg-turbo at the smallest DCT scale (1/8, 1/4, 1/2 …) still at least that large, which skips
    /// most of the work for camera-size photos (without libjpeg-turbo, only at 1/8, by Mirage's own decoder); other
    /// formats decode at full size. The caller resizes the result.
    /// </summary>
    /// <param name="path">The image file; only a regular file is opened.</param>
    /// <param name="mode">Channels of the result: Grayscale 1, Rgb 3, Rgba 4.</param>
    /// <param name="minWidth">Smallest acceptable width in pixels; 0 for no reduction.</param>
    /// <param name="minHeight">Smallest acceptable height in pixels; 0 for no reduction.</param>
    /// <param name="maxPixels">Decompression-bomb limit on the stored size; at least 1.</param>
    /// <param name="configuration">Which JPEG decoders run; null for <see cref="MirageConfiguration.Default"/>.</param>
    /// <returns>An HWC byte image at least <paramref name="minWidth"/> × <paramref name="minHeight"/> (unless the
    /// stored image is smaller); the caller owns and disposes it.</returns>
    /// <remarks>A reduced JPEG is low-passed by the DCT scale, so its pixels differ from a full decode followed by a
    /// resize (Keras's load_img).</remarks>
    /// <exception cref="ImageDecodeException">The file cannot be read as an image or claims too many pixels.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is undefined or <paramref name="maxPixels"/> &lt; 1.</exception>
    /// <exception cref="MirageException">The configuration asks for libjpeg-turbo and the system has none.</exception>
    public static Image<byte> DecodeAtLeast(string path, ColorMode mode, int minWidth, int minHeight, long maxPixels = DefaultMaxPixels,
        MirageConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ValidateMode(mode);
        var buffer = ReadFile(path, out int length);
        try
        {
            return DecodeCore(buffer.AsSpan(0, length), mode, applyOrientation: false, path, maxPixels, DecodeSettings.Of(configuration), minWidth, minHeight);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Decodes a file that will be resized to <paramref name="targetWidth"/>×<paramref name="targetHeight"/>: a JPEG
    /// at least <paramref name="minRatio"/>× the target on both axes is decoded at the smallest DCT scale still covering
    /// the target (<see cref="DecodeAtLeast"/>); anything else (smaller JPEGs, other formats) at full size. The DCT
    /// scale low-passes the picture, so the result differs from a full decode + resize (Keras's load_img).
    /// </summary>
    internal static Image<byte> DecodeForTarget(string path, ColorMode mode, int targetWidth, int targetHeight, int minRatio = 2,
        long maxPixels = DefaultMaxPixels, MirageConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ValidateMode(mode);
        var buffer = ReadFile(path, out int length);
        try
        {
            return DecodeForTarget(buffer.AsSpan(0, length), mode, path, targetWidth, targetHeight, minRatio, maxPixels, configuration);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The same from encoded bytes in memory; <paramref name="name"/> names the input in errors.</summary>
    internal static Image<byte> DecodeForTarget(ReadOnlySpan<byte> data, ColorMode mode, string name, int targetWidth, int targetHeight, int minRatio = 2,
        long maxPixels = DefaultMaxPixels, MirageConfiguration? configuration = null)
    {
        ValidateMode(mode);
        var settings = DecodeSettings.Of(configuration);
        int minW = 0, minH = 0;
        if (TurboJpeg.IsJpeg(data) && (settings.Turbo ? TurboJpeg.TryReadSize(data, out int w, out int h) : JpegEighthDecoder.TryReadSize(data, out w, out h))
            && w >= (long)minRatio * targetWidth && h >= (long)minRatio * targetHeight)
            (minW, minH) = (targetWidth, targetHeight);
        return DecodeCore(data, mode, applyOrientation: false, name, maxPixels, settings, minW, minH);
    }

    /// <remarks>Set the environment variable MIRAGE_DISABLE_TURBOJPEG=1 before the first decode to force SkiaSharp.</remarks>
    /// <summary>Which library decodes JPEG under <see cref="MirageConfiguration.Default"/>: "libjpeg-turbo" (system
    /// libturbojpeg.so.0) or "SkiaSharp" (<see cref="MirageConfiguration.JpegDecoderName"/> for another configuration).</summary>
    public static string JpegDecoder => MirageConfiguration.Default.JpegDecoderName;

    /// <summary>Decodes encoded bytes; <paramref name="sourceName"/> names the input in errors.</summary>
    /// <param name="data">The whole encoded file.</param>
    /// <param name="mode">Channels of the result: Grayscale 1, Rgb 3, Rgba 4.</param>
    /// <param name="sourceName">Names the input in error messages (a file name, a URL, an archive entry).</param>
    /// <returns>An HWC byte image, EXIF orientation not applied; the caller owns and disposes it.</returns>
    /// <exception cref="ImageDecodeException"><paramref name="data"/> is empty, truncated, corrupt, unsupported, or
    /// claims more than <see cref="DefaultMaxPixels"/> pixels.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    public static Image<byte> Decode(ReadOnlySpan<byte> data, ColorMode mode, string sourceName) =>
        Decode(data, mode, sourceName, applyOrientation: false);

    /// <summary>Decodes encoded bytes, optionally applying the EXIF orientation.</summary>
    /// <param name="data">The whole encoded file.</param>
    /// <param name="mode">Channels of the result: Grayscale 1, Rgb 3, Rgba 4.</param>
    /// <param name="sourceName">Names the input in error messages.</param>
    /// <param name="applyOrientation">Rotate/mirror by the EXIF orientation (Keras does not).</param>
    /// <param name="maxPixels">Decompression-bomb limit on the size the header claims; at least 1.</param>
    /// <param name="configuration">Which JPEG decoder runs; null for <see cref="MirageConfiguration.Default"/>.</param>
    /// <returns>An HWC byte image; the caller owns and disposes it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sourceName"/> is null.</exception>
    /// <exception cref="ImageDecodeException"><paramref name="data"/> cannot be read as an image or claims too many pixels.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is undefined or <paramref name="maxPixels"/> &lt; 1.</exception>
    /// <exception cref="MirageException">The configuration asks for libjpeg-turbo and the system has none.</exception>
    public static Image<byte> Decode(ReadOnlySpan<byte> data, ColorMode mode, string sourceName, bool applyOrientation,
        long maxPixels = DefaultMaxPixels, MirageConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        ValidateMode(mode);
        return DecodeCore(data, mode, applyOrientation, sourceName, maxPixels, DecodeSettings.Of(configuration));
    }

    /// <summary>Reads size, format, orientation and alpha from the header without decoding pixels.</summary>
    /// <param name="path">The image file; only a regular file is opened, and only its header is read (except PNM and
    /// TIFF, which are read whole).</param>
    /// <exception cref="ImageDecodeException">The file is missing, empty, unreadable, or not a supported image.</exception>
    public static ImageFileInfo ReadInfo(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = RegularFile.Open(path);
        Span<byte> head = stackalloc byte[16];
        int headLength;
        try
        {
            if (file.Length == 0) throw new ImageDecodeException(path, "empty file (0 bytes)");
            headLength = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            file.Position = 0;
        }
        catch (IOException e)
        {
            throw new ImageDecodeException(path, $"cannot read the file: {e.Message}", e);
        }
        if (OwnFormat(head[..headLength]) is not null)
        {
            // PNM and TIFF headers are read by Mirage's own decoders (a TIFF directory may sit anywhere in the file).
            var buffer = ReadFile(path, out int length);
            try { return ReadInfo(buffer.AsSpan(0, length), path); }
            finally { ArrayPool<byte>.Shared.Return(buffer); }
        }
        // SKManagedStream pulls only the header bytes the codec asks for.
        using var stream = new SKManagedStream(file, disposeManagedStream: false);
        using var codec = CreateCodec(stream, path, head[..headLength], file.Length);
        return InfoOf(codec);
    }

    /// <summary>Reads size, format, orientation and alpha from encoded bytes without decoding pixels.</summary>
    /// <param name="data">The encoded file (its header suffices for PNG, JPEG, GIF, BMP, WebP).</param>
    /// <param name="sourceName">Names the input in error messages.</param>
    /// <exception cref="ImageDecodeException"><paramref name="data"/> is empty or not a supported image.</exception>
    public static unsafe ImageFileInfo ReadInfo(ReadOnlySpan<byte> data, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        if (data.IsEmpty) throw new ImageDecodeException(sourceName, "empty file (0 bytes)");
        if (OwnFormat(data) is { } own)
        {
            var (w, h) = own == ImageFormat.Pnm ? PnmDecoder.ReadSize(data, sourceName) : TiffDecoder.ReadSize(data, sourceName);
            return new ImageFileInfo(w, h, own, 1, false, false);
        }
        fixed (byte* p = data)
        {
            using var skData = SKData.Create((IntPtr)p, data.Length); // wraps, no copy; lives only inside fixed
            using var stream = new SKMemoryStream(skData);
            using var codec = CreateCodec(stream, sourceName, data, data.Length);
            return InfoOf(codec);
        }
    }

    private static unsafe Image<byte> DecodeCore(ReadOnlySpan<byte> data, ColorMode mode, bool applyOrientation, string name,
        long maxPixels, DecodeSettings settings, int minWidth = 0, int minHeight = 0)
    {
        if (data.IsEmpty) throw new ImageDecodeException(name, "empty file (0 bytes)");
        if (maxPixels < 1) throw new ArgumentOutOfRangeException(nameof(maxPixels), maxPixels, "The pixel limit must be at least 1.");
        // Decompression bombs: the size the header claims is checked from the bytes before any decoder runs (every
        // JPEG path: libjpeg-turbo, its scaled decode, the 1/8 decoder; the PNM and TIFF readers; Skia for the rest).
        // libjpeg-turbo checks its own header read too, and Skia's size is checked again below, before its pixel
        // buffer is allocated.
        if (EncodedHeader.TryClaimedSize(data, out long claimedW, out long claimedH))
            CheckSize(name, claimedW, claimedH, maxPixels);
        // Formats Skia does not read (Keras lists .ppm and .tif/.tiff): Mirage's own decoders, Pillow's conventions.
        // Neither carries an EXIF orientation that Pillow would report, so applyOrientation has nothing to do.
        switch (OwnFormat(data))
        {
            case ImageFormat.Pnm: return PnmDecoder.Decode(data, mode, name);
            case ImageFormat.Tiff: return TiffDecoder.Decode(data, mode, name);
        }
        Image<byte> image;
        SKEncodedOrigin origin;
        // JPEG goes through libjpeg-turbo when the system has it (SIMD; the same decoder and defaults as Pillow);
        // streams it cannot convert (CMYK) fall through to Skia. Without it, a decode asked to cover a size that 1/8
        // covers still takes Mirage's 1/8 decoder (the bytes libjpeg-turbo would give); anything else goes to Skia.
        Image<byte>? jpeg = null;
        if (TurboJpeg.IsJpeg(data))
        {
            if (settings.Turbo) TurboJpeg.TryDecode(data, mode, out jpeg, minWidth, minHeight, settings.Eighth, maxPixels);
            else if ((minWidth > 0 || minHeight > 0) && settings.Eighth && JpegEighthDecoder.TryReadSize(data, out int w, out int h)
                && (w + 7) / 8 >= minWidth && (h + 7) / 8 >= minHeight && JpegEighthDecoder.IsEighthScale(w, h, (w + 7) / 8, (h + 7) / 8))
                JpegEighthDecoder.TryDecode(data, mode, out jpeg);
        }
        if (jpeg is not null)
        {
            if (!applyOrientation) return jpeg;
            int orientation = ReadInfo(data, name).Orientation;
            if (orientation is <= 1 or > 8) return jpeg;
            using (jpeg) return Orientation.Apply(jpeg, orientation);
        }
        fixed (byte* p = data)
        {
            using var skData = SKData.Create((IntPtr)p, data.Length); // wraps, no copy; lives only inside fixed
            using var stream = new SKMemoryStream(skData);
            using var codec = CreateCodec(stream, name, data, data.Length);
            origin = codec.EncodedOrigin;
            CheckSize(name, codec.Info.Width, codec.Info.Height, maxPixels);
            image = DecodePixels(codec, data, mode, name);
        }
        if (!applyOrientation || origin is SKEncodedOrigin.TopLeft || (int)origin is < 1 or > 8) return image;
        using (image) return Orientation.Apply(image, (int)origin);
    }

    /// <summary>Refuses a size claimed by a header before anything is allocated for it.</summary>
    internal static void CheckSize(string name, long width, long height, long maxPixels)
    {
        if (width < 1 || height < 1) throw new ImageDecodeException(name, $"invalid image size {width}x{height}");
        long pixels = width * height; // each side < 2^32: no overflow
        if (pixels > maxPixels)
            throw new ImageDecodeException(name, $"the header claims {width}x{height} = {pixels:N0} pixels, over the limit of " +
                $"{maxPixels:N0} (a guard against decompression bombs); if the image is genuine, raise the limit " +
                $"(--max-pixels {pixels} on the command line, MaxPixels in the options)");
        if (pixels * 4 > Array.MaxLength)
            throw new ImageDecodeException(name, $"image too large ({width}x{height} pixels): its decoded pixels do not fit in one buffer (2 GB)");
    }

    private static Image<byte> DecodePixels(SKCodec codec, ReadOnlySpan<byte> encoded, ColorMode mode, string name)
    {
        var info = codec.Info;
        int width = info.Width, height = info.Height;

        // A 1-channel source decodes as Gray8 and is kept as stored (Pillow's mode L); anything else decodes
        // as straight RGBA and is reduced with our own loops, so the L formula is exactly Pillow's.
        bool gray16 = PngGray16.Is(encoded); // Pillow's mode I: clipped at 255, not the high byte
        bool graySource = info.ColorType == SKColorType.Gray8 || gray16;
        int decodedChannels = graySource ? 1 : 4;
        int outChannels = mode switch { ColorMode.Grayscale => 1, ColorMode.Rgb => 3, _ => 4 };
        var decodeInfo = new SKImageInfo(width, height,
            graySource ? SKColorType.Gray8 : SKColorType.Rgba8888,
            graySource ? SKAlphaType.Opaque : SKAlphaType.Unpremul); // ColorSpace null: no colour conversion

        var image = new Image<byte>(height, width, outChannels);
        byte[]? scratch = null;
        try
        {
            Span<byte> target;
            if (decodedChannels == outChannels)
            {
                target = image.Span; // decode straight into the result
            }
            else
            {
                int length = width * height * decodedChannels;
                scratch = ArrayPool<byte>.Shared.Rent(length);
                target = scratch.AsSpan(0, length);
                target.Clear(); // pooled memory: a frame smaller than the canvas must not show old bytes
            }

            if (gray16) PngGray16.DecodeClipped(encoded, width, height, target, name);
            else DecodeInto(codec, decodeInfo, target, width * decodedChannels, encoded, name);
            if (codec.EncodedFormat == SKEncodedImageFormat.Jpeg && !EncodedHeader.JpegHasEndMarker(encoded))
                throw new ImageDecodeException(name, "truncated: the JPEG data ends before its end-of-image marker");
            if (!graySource && codec.EncodedFormat == SKEncodedImageFormat.Gif)
                GifFirstFrame.MatchPillow(encoded, target, width, height);

            if (scratch is not null)
            {
                var src = target;
                var dst = image.Span;
                if (graySource) PixelConvert.GrayTo(src, dst, outChannels);
                else if (outChannels == 3) PixelConvert.RgbaToRgb(src, dst);
                else PixelConvert.ColorToL(src, dst);
            }
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
        finally
        {
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static unsafe void DecodeInto(SKCodec codec, SKImageInfo info, Span<byte> target, int rowBytes,
        ReadOnlySpan<byte> encoded, string name)
    {
        fixed (byte* dst = target)
        {
            // Incremental decoding reports how many rows arrived, so a truncated file can say how much is missing.
            // JPEG has no incremental path in Skia; its scanline decoder reports the row count instead.
            var result = codec.StartIncrementalDecode(info, (IntPtr)dst, rowBytes);
            if (result == SKCodecResult.Success)
            {
                result = codec.IncrementalDecode(out int rows);
                if (result == SKCodecResult.IncompleteInput) throw Truncated(name, rows, info.Height, encoded);
                Check(result, name, encoded);
                return;
            }
            if (result != SKCodecResult.Unimplemented) Check(result, name, encoded);

            if (codec.ScanlineOrder == SKCodecScanlineOrder.TopDown &&
                codec.StartScanlineDecode(info) == SKCodecResult.Success)
            {
                int rows = codec.GetScanlines((IntPtr)dst, info.Height, rowBytes);
                if (rows < info.Height) throw Truncated(name, Math.Max(rows, 0), info.Height, encoded);
                return;
            }

            // Progressive JPEG (no scanline decoder), BMP, lossy WebP, ...: all or nothing.
            Check(codec.GetPixels(info, (IntPtr)dst, rowBytes, SKCodecOptions.Default), name, encoded);
        }
    }

    private static ImageDecodeException Truncated(string name, int rows, int height, ReadOnlySpan<byte> encoded) =>
        rows >= 0 && rows < height
            ? new(name, $"truncated: only {rows} of {height} rows decoded")
            : new(name, TruncatedReason(encoded, "the file ends before the image data is complete"));

    private static string TruncatedReason(ReadOnlySpan<byte> encoded, string otherwise)
    {
        long declared = EncodedHeader.DeclaredLength(encoded);
        return declared > encoded.Length
            ? $"truncated: only {encoded.Length} of {declared} bytes present"
            : $"truncated: {otherwise}";
    }

    private static void Check(SKCodecResult result, string name, ReadOnlySpan<byte> encoded)
    {
        if (result == SKCodecResult.Success) return;
        if (EncodedHeader.DeclaredLength(encoded) > encoded.Length || result == SKCodecResult.IncompleteInput)
            throw new ImageDecodeException(name, TruncatedReason(encoded, "the file ends before the image data is complete"));
        throw new ImageDecodeException(name, result is SKCodecResult.ErrorInInput or SKCodecResult.InvalidInput
            ? "corrupt image data"
            : $"the decoder failed ({result})");
    }

    /// <summary>A Skia codec for <paramref name="stream"/>, or an <see cref="ImageDecodeException"/> saying why there is none
    /// (not an image, truncated, corrupt header, a format outside Keras's).</summary>
    /// <param name="stream">The encoded input; left to its owner (also on failure).</param>
    /// <param name="name">Names the input in errors.</param>
    /// <param name="head">The first bytes of the input (at least 12 when available), to classify a failure.</param>
    /// <param name="length">The input's length in bytes, compared with the length its header declares.</param>
    private static SKCodec CreateCodec(SKStream stream, string name, ReadOnlySpan<byte> head, long length)
    {
        var codec = SKCodec.Create(stream, out var result);
        if (codec is null)
        {
            // The stream is left to its owner: SkiaSharp revokes the wrapper's ownership on failure too.
            string? signature = EncodedHeader.Signature(head);
            long declared = EncodedHeader.DeclaredLength(head);
            throw new ImageDecodeException(name, signature is null
                ? $"not a recognised image format ({SupportedFormats})"
                : declared > length
                    ? $"truncated: only {length} of {declared} bytes present"
                    : result == SKCodecResult.IncompleteInput
                        ? "truncated: the file ends before any image data could be decoded"
                        : $"corrupt {signature} header");
        }
        if (ToFormat(codec.EncodedFormat) is null)
        {
            var format = codec.EncodedFormat;
            codec.Dispose();
            throw new ImageDecodeException(name, $"unsupported image format {format}; supported: {SupportedFormats}");
        }
        return codec;
    }

    private static ImageFormat? OwnFormat(ReadOnlySpan<byte> data) =>
        PnmDecoder.IsPnm(data) ? ImageFormat.Pnm : TiffDecoder.IsTiff(data) ? ImageFormat.Tiff : null;

    private static ImageFileInfo InfoOf(SKCodec codec)
    {
        var info = codec.Info;
        int origin = (int)codec.EncodedOrigin;
        return new ImageFileInfo(
            info.Width,
            info.Height,
            ToFormat(codec.EncodedFormat)!.Value,
            origin is >= 1 and <= 8 ? origin : 1,
            info.AlphaType != SKAlphaType.Opaque,
            info.ColorType == SKColorType.Gray8);
    }

    private static ImageFormat? ToFormat(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Png => ImageFormat.Png,
        SKEncodedImageFormat.Jpeg => ImageFormat.Jpeg,
        SKEncodedImageFormat.Bmp => ImageFormat.Bmp,
        SKEncodedImageFormat.Webp => ImageFormat.Webp,
        SKEncodedImageFormat.Gif => ImageFormat.Gif,
        _ => null, // ICO, WBMP, ...: Skia reads them, but Keras's formats are the contract (WBMP sniffing is loose)
    };

    private static void ValidateMode(ColorMode mode)
    {
        if (mode is not (ColorMode.Grayscale or ColorMode.Rgb or ColorMode.Rgba))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Color mode must be Grayscale, Rgb or Rgba.");
    }

    /// <summary>
    /// Reads the whole file into a pooled buffer (returned by the caller). Only regular files are opened, and
    /// non-blocking (<see cref="RegularFile"/>): a FIFO named x.jpg must not hang a run.
    /// </summary>
    internal static byte[] ReadFile(string path, out int length)
    {
        using var file = RegularFile.OpenHandle(path, out long size);
        byte[]? buffer = null;
        try
        {
            if (size == 0) throw new ImageDecodeException(path, "empty file (0 bytes)");
            if (size > Array.MaxLength) throw new ImageDecodeException(path, $"file too large ({size} bytes)");
            buffer = ArrayPool<byte>.Shared.Rent((int)size);
            length = 0;
            while (length < size)
            {
                int n = RandomAccess.Read(file, buffer.AsSpan(length, (int)size - length), length);
                if (n == 0) break; // the file shrank since its size was read: decode what is there
                length += n;
            }
            if (length == 0) throw new ImageDecodeException(path, "empty file (0 bytes)");
            return buffer;
        }
        catch (IOException e)
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
            throw new ImageDecodeException(path, $"cannot read the file: {e.Message}", e);
        }
        catch
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
