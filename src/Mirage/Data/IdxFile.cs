using System.Buffers.Binary;
using System.IO.Compression;
using Mirage.Generation;

namespace Mirage.Data;

/// <summary>An array read from an IDX file (MNIST's format): unsigned bytes in C order and their shape.</summary>
/// <param name="Shape">The dimensions, outermost first (images: N, H, W).</param>
/// <param name="Data">The values in C order; exactly the product of <paramref name="Shape"/> bytes.</param>
public sealed record IdxArray(int[] Shape, byte[] Data);

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST: two zero bytes, a type code, the number of dimensions, each dimension as
/// a big-endian int32, then the values in C order. Reads plain and gzip-compressed files (recognised by their
/// content, not their name). Only unsigned bytes (type 0x08), the type every MNIST-style dataset uses, are read.
/// </summary>
public static class IdxFile
{
    private const byte UnsignedByte = 0x08;

    /// <summary>Reads a .idx or .idx.gz file; errors name the file.</summary>
    /// <param name="path">The file; gzip is recognised by its magic bytes.</param>
    /// <exception cref="MirageException">The file cannot be read, its gzip stream is corrupt or cut, or its IDX content
    /// is invalid (see <see cref="Parse"/>).</exception>
    public static IdxArray Read(string path)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
            if (file.Length >= 2 && file[0] == 0x1f && file[1] == 0x8b) file = Gunzip(file);
        }
        catch (InvalidDataException e)
        {
            throw new MirageException($"{path}: the gzip stream is corrupt or truncated ({e.Message}).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MirageException($"{path}: cannot read the IDX file ({e.Message}).", e);
        }
        return Parse(file, path);
    }

    /// <summary>Parses uncompressed IDX bytes; <paramref name="source"/> names the file in errors.</summary>
    /// <param name="file">The whole file, uncompressed.</param>
    /// <param name="source">Names the input in error messages.</param>
    /// <exception cref="MirageException">Not IDX, a type other than unsigned bytes, 0 dimensions, truncated, or with
    /// bytes after the declared values.</exception>
    public static IdxArray Parse(ReadOnlySpan<byte> file, string source)
    {
        if (file.Length < 4 || file[0] != 0 || file[1] != 0)
            throw new MirageException($"{source}: not an IDX file (it must start with two zero bytes, a type code and a dimension count).");
        byte type = file[2];
        int rank = file[3];
        if (type != UnsignedByte)
            throw new MirageException($"{source}: IDX type code 0x{type:x2} is not supported; Mirage reads unsigned bytes (0x08), as in MNIST and Fashion-MNIST.");
        if (rank == 0) throw new MirageException($"{source}: the IDX header declares 0 dimensions.");
        int header = 4 + 4 * rank;
        if (file.Length < header)
            throw new MirageException($"{source}: the IDX file is truncated inside its header ({file.Length} bytes; {rank} dimensions need {header}).");
        var shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(file[(4 + 4 * d)..]);
            if (size > int.MaxValue) throw new MirageException($"{source}: dimension {d} of the IDX header is {size}, too large.");
            shape[d] = (int)size;
            count *= size;
            if (count > Array.MaxLength) throw new MirageException($"{source}: the IDX header declares {string.Join("×", shape[..(d + 1)])}… values, more than an array can hold.");
        }
        long have = file.Length - header;
        if (have < count)
            throw new MirageException($"{source}: the IDX file is truncated: its header declares {string.Join("×", shape)} = {count} values but only {have} bytes follow.");
        if (have > count)
            throw new MirageException($"{source}: {have - count} bytes follow the {string.Join("×", shape)} values its header declares; the file is not a single IDX array.");
        return new IdxArray(shape, file.Slice(header, (int)count).ToArray());
    }

    /// <summary>A 3-D file (N × H × W) as N×H×W×1 float images in 0..255, as Keras's <c>x_train[..., None]</c>.</summary>
    /// <param name="path">An images file (idx3), gzipped or not.</param>
    /// <returns>A new channels-last array.</returns>
    /// <exception cref="MirageException">The file cannot be read or is not 3-D.</exception>
    public static ImageArray ReadImages(string path)
    {
        var a = Read(path);
        if (a.Shape.Length != 3)
            throw new MirageException($"{path}: expected images (3 dimensions, N × height × width), found {a.Shape.Length} dimension(s): {string.Join("×", a.Shape)}.");
        var data = new float[a.Data.Length];
        Imaging.ImageConvert.ToFloat(a.Data, data);
        return new ImageArray(data, a.Shape[0], a.Shape[1], a.Shape[2], 1, DataFormat.ChannelsLast);
    }

    /// <summary>A 1-D file of labels.</summary>
    /// <param name="path">A labels file (idx1), gzipped or not.</param>
    /// <returns>One label (0..255) per sample.</returns>
    /// <exception cref="MirageException">The file cannot be read or is not 1-D.</exception>
    public static int[] ReadLabels(string path)
    {
        var a = Read(path);
        if (a.Shape.Length != 1)
            throw new MirageException($"{path}: expected labels (1 dimension), found {a.Shape.Length} dimensions: {string.Join("×", a.Shape)}.");
        return Array.ConvertAll(a.Data, b => (int)b);
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var gz = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gz.CopyTo(plain);
        // GZipStream ends quietly at a cut; the trailer's size (mod 2^32) tells a whole stream from a cut one.
        if (compressed.Length < 18 || BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 4)) != (uint)plain.Length)
            throw new InvalidDataException("the stream ends early or its size does not match the gzip trailer");
        return plain.ToArray();
    }
}

/// <summary>Fashion-MNIST's train and test sets: 28×28 gray images (N×28×28×1, float 0..255) and labels 0–9.</summary>
/// <param name="TrainImages">The 60,000 training images.</param>
/// <param name="TrainLabels">Their labels, 0–9 (see <see cref="FashionMnist.ClassNames"/>).</param>
/// <param name="TestImages">The 10,000 test images.</param>
/// <param name="TestLabels">Their labels, 0–9.</param>
public sealed record FashionMnistData(ImageArray TrainImages, int[] TrainLabels, ImageArray TestImages, int[] TestLabels);

/// <summary>Loads Fashion-MNIST from its four standard IDX files (gzipped or not).</summary>
public static class FashionMnist
{
    /// <summary>Where Debian's dataset-fashion-mnist package installs it.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist/";

    /// <summary>Label i's name.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Reads train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each
    /// with or without .gz) from <paramref name="directory"/> (default <see cref="DefaultDirectory"/>).
    /// </summary>
    /// <param name="directory">The folder holding the four files, or null for <see cref="DefaultDirectory"/>.</param>
    /// <exception cref="MirageException">The folder or a file is missing, a file is invalid, image and label counts
    /// differ, or a label is above 9.</exception>
    public static FashionMnistData Load(string? directory = null)
    {
        string dir = directory ?? DefaultDirectory;
        if (!Directory.Exists(dir))
            throw new MirageException($"{dir}: Fashion-MNIST folder not found. Install Debian's dataset-fashion-mnist " +
                                      $"(apt-get install dataset-fashion-mnist puts it in {DefaultDirectory}) or point to a folder holding its four IDX files.");
        var trainImages = IdxFile.ReadImages(Find(dir, "train-images-idx3-ubyte"));
        var trainLabels = IdxFile.ReadLabels(Find(dir, "train-labels-idx1-ubyte"));
        var testImages = IdxFile.ReadImages(Find(dir, "t10k-images-idx3-ubyte"));
        var testLabels = IdxFile.ReadLabels(Find(dir, "t10k-labels-idx1-ubyte"));
        Check(trainImages, trainLabels, dir, "train");
        Check(testImages, testLabels, dir, "t10k");
        return new FashionMnistData(trainImages, trainLabels, testImages, testLabels);
    }

    private static string Find(string dir, string name)
    {
        foreach (var candidate in new[] { name + ".gz", name, name.Replace("-idx", ".idx") + ".gz", name.Replace("-idx", ".idx") })
        {
            string path = Path.Combine(dir, candidate);
            if (File.Exists(path)) return path;
        }
        throw new MirageException($"{dir}: {name}.gz (or {name}) is missing; a Fashion-MNIST folder holds train-images-idx3-ubyte.gz, " +
                                  "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.");
    }

    private static void Check(ImageArray images, int[] labels, string dir, string set)
    {
        if (images.Count != labels.Length)
            throw new MirageException($"{dir}: the {set} set has {images.Count} images but {labels.Length} labels.");
        foreach (int label in labels)
            if (label >= ClassNames.Count)
                throw new MirageException($"{dir}: the {set} labels hold {label}; Fashion-MNIST's labels are 0–9.");
    }
}
