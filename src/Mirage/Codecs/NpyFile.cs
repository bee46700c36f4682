using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Mirage.Imaging;

namespace Mirage.Codecs;

/// <summary>Element types Mirage reads from and writes to .npy files.</summary>
public enum NpyDType
{
    /// <summary>'|u1'</summary>
    UInt8,
    /// <summary>'&lt;f4'</summary>
    Float32,
    /// <summary>'&lt;f8' (read into float)</summary>
    Float64,
}

/// <summary>An array read from a .npy file: C-order values and their shape. Exactly one of Bytes/Floats is set.</summary>
/// <param name="Shape">numpy's shape, outermost first (an image is (H, W) or (H, W, C)); may be empty (a scalar).</param>
/// <param name="DType">The element type stored in the file (Float64 is returned as floats).</param>
/// <param name="Bytes">The values of a UInt8 file in C order, else null.</param>
/// <param name="Floats">The values of a Float32 or Float64 file in C order, else null.</param>
public sealed record NpyArray(int[] Shape, NpyDType DType, byte[]? Bytes, float[]? Floats)
{
    /// <summary>Number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    /// <exception cref="OverflowException">The product does not fit in a <see cref="long"/>.</exception>
    public long Count => NpyFile.Product(Shape);
}

/// <summary>
/// numpy's .npy format: reads versions 1.0, 2.0 and 3.0, writes 1.0 (2.0 only when the header needs it);
/// C order only; uint8, float32 and float64 (returned as float). Writes are atomic (temp file, then rename).
/// </summary>
public static class NpyFile
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a whole .npy file.</summary>
    /// <param name="path">The .npy file.</param>
    /// <exception cref="MirageException">The file cannot be read, is not .npy, is Fortran-ordered, has an unsupported
    /// dtype or version, or is truncated; the message names <paramref name="path"/>.</exception>
    public static NpyArray Read(string path)
    {
        byte[] file;
        try { file = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MirageException($"{path}: cannot read the .npy file ({e.Message}).", e);
        }
        return Parse(file, path);
    }

    /// <summary>Parses .npy bytes; <paramref name="source"/> names the file in errors.</summary>
    /// <param name="file">The whole file.</param>
    /// <param name="source">Names the input in error messages.</param>
    /// <returns>A new array; big-endian data is converted to the machine's order.</returns>
    /// <exception cref="MirageException">Not .npy, Fortran-ordered, an unsupported dtype or version, or truncated.</exception>
    public static NpyArray Parse(ReadOnlySpan<byte> file, string source)
    {
        if (file.Length < 10 || !file[..6].SequenceEqual(Magic))
            throw new MirageException($"{source}: not a .npy file (the magic string \\x93NUMPY is missing).");
        int major = file[6];
        int headerLen, start;
        if (major == 1) { headerLen = BinaryPrimitives.ReadUInt16LittleEndian(file[8..]); start = 10; }
        else if (major is 2 or 3)
        {
            if (file.Length < 12) throw new MirageException($"{source}: the .npy file is truncated inside its header.");
            headerLen = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(file[8..])); start = 12;
        }
        else throw new MirageException($"{source}: .npy format version {major}.{file[7]} is not supported (1.0, 2.0 and 3.0 are).");
        if ((long)start + headerLen > file.Length)
            throw new MirageException($"{source}: the .npy file is truncated inside its header.");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(file.Slice(start, headerLen));

        string descr = HeaderValue(header, "descr", source).Trim().Trim('\'', '"');
        string fortran = HeaderValue(header, "fortran_order", source).Trim();
        if (fortran == "True")
            throw new MirageException($"{source}: fortran_order is True; Mirage reads C-order arrays only (save with np.ascontiguousarray).");
        if (fortran != "False")
            throw new MirageException($"{source}: bad fortran_order value '{fortran}' in the .npy header.");
        int[] shape = ParseShape(HeaderValue(header, "shape", source), source);

        (NpyDType dtype, int size, bool bigEndian) = descr switch
        {
            "|u1" or "u1" or "<u1" or ">u1" or "=u1" => (NpyDType.UInt8, 1, false),
            "<f4" or "=f4" => (NpyDType.Float32, 4, false),
            ">f4" => (NpyDType.Float32, 4, true),
            "<f8" or "=f8" => (NpyDType.Float64, 8, false),
            ">f8" => (NpyDType.Float64, 8, true),
            _ => throw new MirageException($"{source}: dtype '{descr}' is not supported; use uint8 ('|u1'), float32 ('<f4') or float64 ('<f8')."),
        };

        long count = Product(shape);
        var data = file[(start + headerLen)..];
        if (data.Length < count * size)
            throw new MirageException($"{source}: the .npy file holds {data.Length} data bytes but shape ({string.Join(", ", shape)}) of '{descr}' needs {count * size}.");
        if (count > Array.MaxLength)
            throw new MirageException($"{source}: the array has {count} elements, more than Mirage can hold in one array.");
        int n = (int)count;
        switch (dtype)
        {
            case NpyDType.UInt8:
                return new NpyArray(shape, dtype, data[..n].ToArray(), null);
            case NpyDType.Float32:
            {
                var floats = new float[n];
                if (!bigEndian) MemoryMarshal.Cast<byte, float>(data[..(n * 4)]).CopyTo(floats);
                else for (int i = 0; i < n; i++) floats[i] = BinaryPrimitives.ReadSingleBigEndian(data[(i * 4)..]);
                return new NpyArray(shape, dtype, null, floats);
            }
            default:
            {
                var floats = new float[n];
                var doubles = MemoryMarshal.Cast<byte, double>(data[..(n * 8)]);
                for (int i = 0; i < n; i++)
                    floats[i] = (float)(bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(data[(i * 8)..]) : doubles[i]);
                return new NpyArray(shape, dtype, null, floats);
            }
        }
    }

    /// <summary>Reads any supported dtype as float (uint8 values become 0..255).</summary>
    /// <param name="path">The .npy file.</param>
    /// <returns>The values in C order (a new array) and numpy's shape.</returns>
    /// <exception cref="MirageException">The file cannot be read or parsed.</exception>
    public static (float[] Data, int[] Shape) ReadFloat(string path)
    {
        var a = Read(path);
        if (a.Floats is { } f) return (f, a.Shape);
        var floats = new float[a.Bytes!.Length];
        ImageConvert.ToFloat(a.Bytes, floats);
        return (floats, a.Shape);
    }

    /// <summary>Reads a uint8 file.</summary>
    /// <param name="path">The .npy file.</param>
    /// <returns>The values in C order (a new array) and numpy's shape.</returns>
    /// <exception cref="MirageException">The file cannot be read or parsed, or its dtype is not uint8.</exception>
    public static (byte[] Data, int[] Shape) ReadBytes(string path)
    {
        var a = Read(path);
        if (a.Bytes is null) throw new MirageException($"{path}: expected uint8 ('|u1') data, found {a.DType}.");
        return (a.Bytes, a.Shape);
    }

    /// <summary>Reads an (H, W) or (H, W, C) array as a float image.</summary>
    /// <param name="path">The .npy file; any supported dtype (uint8 gives 0..255).</param>
    /// <returns>A new HWC image (a 2-D array gives 1 channel); the caller owns and disposes it.</returns>
    /// <exception cref="MirageException">The file cannot be read or parsed, or is not 2-D or 3-D.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is 0.</exception>
    public static Image<float> ReadImageFloat(string path)
    {
        var (data, shape) = ReadFloat(path);
        var (h, w, c) = ImageShape(shape, path);
        var image = new Image<float>(h, w, c);
        data.AsSpan(0, image.Length).CopyTo(image.Span);
        return image;
    }

    /// <summary>Reads an (H, W) or (H, W, C) uint8 array as a byte image.</summary>
    /// <param name="path">The .npy file; its dtype must be uint8.</param>
    /// <returns>A new HWC image (a 2-D array gives 1 channel); the caller owns and disposes it.</returns>
    /// <exception cref="MirageException">The file cannot be read or parsed, is not uint8, or is not 2-D or 3-D.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is 0.</exception>
    public static Image<byte> ReadImageByte(string path)
    {
        var (data, shape) = ReadBytes(path);
        var (h, w, c) = ImageShape(shape, path);
        var image = new Image<byte>(h, w, c);
        data.AsSpan(0, image.Length).CopyTo(image.Span);
        return image;
    }

    /// <summary>Writes little-endian float32 ('&lt;f4') values in C order, atomically.</summary>
    /// <param name="path">The file to write; its folder must exist; an existing file is replaced.</param>
    /// <param name="data">The values in C order.</param>
    /// <param name="shape">numpy's shape, outermost first; its product must equal the length of <paramref name="data"/>.</param>
    /// <exception cref="ArgumentException">A dimension is negative, or the shape does not match the data length.</exception>
    /// <exception cref="MirageException">The file cannot be written.</exception>
    public static void Write(string path, ReadOnlySpan<float> data, ReadOnlySpan<int> shape) =>
        WriteRaw(path, "<f4", MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>Writes uint8 ('|u1') values in C order, atomically.</summary>
    /// <param name="path">The file to write; its folder must exist; an existing file is replaced.</param>
    /// <param name="data">The values in C order.</param>
    /// <param name="shape">numpy's shape, outermost first; its product must equal the length of <paramref name="data"/>.</param>
    /// <exception cref="ArgumentException">A dimension is negative, or the shape does not match the data length.</exception>
    /// <exception cref="MirageException">The file cannot be written.</exception>
    public static void Write(string path, ReadOnlySpan<byte> data, ReadOnlySpan<int> shape) =>
        WriteRaw(path, "|u1", data, data.Length, shape);

    /// <summary>Writes an image as (H, W, C).</summary>
    /// <param name="path">The file to write (float32); its folder must exist; an existing file is replaced.</param>
    /// <param name="image">The image; not modified.</param>
    /// <exception cref="MirageException">The file cannot be written.</exception>
    public static void Write(string path, Image<float> image) =>
        Write(path, image.Span, [image.Height, image.Width, image.Channels]);

    /// <summary>Writes an image as (H, W, C).</summary>
    /// <param name="path">The file to write (uint8); its folder must exist; an existing file is replaced.</param>
    /// <param name="image">The image; not modified.</param>
    /// <exception cref="MirageException">The file cannot be written.</exception>
    public static void Write(string path, Image<byte> image) =>
        Write(path, image.Span, [image.Height, image.Width, image.Channels]);

    internal static long Product(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape) n = checked(n * d);
        return n;
    }

    private static (int H, int W, int C) ImageShape(int[] shape, string source) => shape.Length switch
    {
        2 => (shape[0], shape[1], 1),
        3 => (shape[0], shape[1], shape[2]),
        _ => throw new MirageException($"{source}: expected an image of shape (H, W) or (H, W, C), found ({string.Join(", ", shape)})."),
    };

    private static void WriteRaw(string path, string descr, ReadOnlySpan<byte> bytes, int count, ReadOnlySpan<int> shape)
    {
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"Shape ({string.Join(", ", shape.ToArray())}) has a negative dimension.", nameof(shape));
        if (Product(shape) != count)
            throw new ArgumentException($"Shape ({string.Join(", ", shape.ToArray())}) holds {Product(shape)} values but {count} were given.", nameof(shape));

        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.ToArray());
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        // Pad with spaces so the data starts on a 64-byte boundary, newline last (as numpy does).
        int prefix = 10;
        int total = prefix + dict.Length + 1;
        if (total + (64 - total % 64) % 64 - prefix > ushort.MaxValue) prefix = 12;
        total = prefix + dict.Length + 1;
        int padded = total + (64 - total % 64) % 64;
        string header = dict.PadRight(padded - prefix - 1) + "\n";

        if (!BitConverter.IsLittleEndian && descr != "|u1")
            throw new PlatformNotSupportedException("Writing .npy on a big-endian machine is not supported.");
        byte[] headerBytes = Encoding.Latin1.GetBytes(header);
        var file = new byte[prefix + headerBytes.Length + bytes.Length];
        Magic.CopyTo(file);
        file[6] = (byte)(prefix == 10 ? 1 : 2);
        file[7] = 0;
        if (prefix == 10) BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)header.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), (uint)header.Length);
        headerBytes.CopyTo(file, prefix);
        bytes.CopyTo(file.AsSpan(prefix + headerBytes.Length));
        try
        {
            AtomicFile.WriteAllBytes(path, file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MirageException($"{path}: cannot write the .npy file ({e.Message}).", e);
        }
    }

    /// <summary>The text of one key's value in numpy's header dict (a Python literal).</summary>
    private static string HeaderValue(string header, string key, string source)
    {
        int k = header.IndexOf($"'{key}'", StringComparison.Ordinal);
        if (k < 0) k = header.IndexOf($"\"{key}\"", StringComparison.Ordinal);
        if (k < 0) throw new MirageException($"{source}: the .npy header has no '{key}' entry: {header.Trim()}");
        int colon = header.IndexOf(':', k + key.Length + 2);
        if (colon < 0) throw new MirageException($"{source}: malformed .npy header: {header.Trim()}");
        int i = colon + 1;
        while (i < header.Length && header[i] == ' ') i++;
        int end;
        if (i < header.Length && header[i] == '(')
        {
            end = header.IndexOf(')', i);
            if (end < 0) throw new MirageException($"{source}: malformed shape in the .npy header: {header.Trim()}");
            return header[i..(end + 1)];
        }
        end = i;
        while (end < header.Length && header[end] is not (',' or '}')) end++;
        return header[i..end];
    }

    private static int[] ParseShape(string text, string source)
    {
        string inner = text.Trim();
        if (!inner.StartsWith('(') || !inner.EndsWith(')'))
            throw new MirageException($"{source}: malformed shape '{text}' in the .npy header.");
        var parts = inner[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            string p = parts[i].TrimEnd('L'); // Python 2 wrote 3L
            if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
                throw new MirageException($"{source}: bad dimension '{parts[i]}' in the .npy shape {text}.");
        }
        return shape;
    }
}
