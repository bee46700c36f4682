using System.Buffers.Binary;
using System.IO.Compression;
using Mirage.Data;
using Mirage.Tests.Cli;

namespace Mirage.Tests.Data;

public class IdxFileTests
{
    private static byte[] Idx(byte type, int[] shape, byte[] values)
    {
        var bytes = new byte[4 + 4 * shape.Length + values.Length];
        bytes[2] = type;
        bytes[3] = (byte)shape.Length;
        for (int d = 0; d < shape.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), shape[d]);
        values.CopyTo(bytes, 4 + 4 * shape.Length);
        return bytes;
    }

    private static byte[] Gzip(byte[] plain)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest)) gz.Write(plain);
        return buffer.ToArray();
    }

    private static byte[] Counting(int n) => Enumerable.Range(0, n).Select(i => (byte)(i * 7 % 256)).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ImagesAndLabelsPlainAndGzipped(bool gzipped)
    {
        string dir = CliRunner.TempFolder();
        var pixels = Counting(3 * 4 * 5);
        var raw = Idx(0x08, [3, 4, 5], pixels);
        string images = Path.Combine(dir, "images.idx"), labels = Path.Combine(dir, "labels.idx");
        File.WriteAllBytes(images, gzipped ? Gzip(raw) : raw);
        var rawLabels = Idx(0x08, [3], [9, 0, 4]);
        File.WriteAllBytes(labels, gzipped ? Gzip(rawLabels) : rawLabels);

        var x = IdxFile.ReadImages(images);
        Assert.Equal((3, 4, 5, 1), (x.Count, x.Height, x.Width, x.Channels));
        Assert.Equal(pixels.Select(b => (float)b), x.Data);
        Assert.Equal([9, 0, 4], IdxFile.ReadLabels(labels));
        Assert.Equal([3, 4, 5], IdxFile.Read(images).Shape);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("bad magic", "not an IDX file")]
    [InlineData("float type", "type code 0x0d is not supported")]
    [InlineData("short header", "truncated inside its header")]
    [InlineData("short data", "truncated: its header declares 2×3 = 6 values but only 5 bytes follow")]
    [InlineData("extra data", "1 bytes follow")]
    [InlineData("corrupt gzip", "gzip stream is corrupt")]
    [InlineData("labels as images", "expected images (3 dimensions")]
    public void BadFilesAreNamedWithTheProblem(string kind, string message)
    {
        string dir = CliRunner.TempFolder();
        string path = Path.Combine(dir, "bad.idx");
        byte[] bytes = kind switch
        {
            "bad magic" => [1, 0, 8, 1, 0, 0, 0, 0],
            "float type" => Idx(0x0d, [2], new byte[8]),
            "short header" => Idx(0x08, [2, 3], new byte[6])[..9],
            "short data" => Idx(0x08, [2, 3], new byte[5]),
            "extra data" => Idx(0x08, [2, 3], new byte[7]),
            "corrupt gzip" => Gzip(Idx(0x08, [200], new byte[200]))[..20],
            _ => Idx(0x08, [4], new byte[4]),
        };
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<MirageException>(() => IdxFile.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(message, e.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void FashionMnistFolderErrorsSayWhatIsMissing()
    {
        string dir = CliRunner.TempFolder();
        var e = Assert.Throws<MirageException>(() => FashionMnist.Load(Path.Combine(dir, "nope")));
        Assert.Contains("dataset-fashion-mnist", e.Message);
        e = Assert.Throws<MirageException>(() => FashionMnist.Load(dir));
        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void SmallFashionMnistFolderWithUncompressedFiles()
    {
        string dir = CliRunner.TempFolder();
        File.WriteAllBytes(Path.Combine(dir, "train-images-idx3-ubyte"), Idx(0x08, [2, 28, 28], Counting(2 * 784)));
        File.WriteAllBytes(Path.Combine(dir, "train-labels-idx1-ubyte"), Idx(0x08, [2], [3, 7]));
        File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), Gzip(Idx(0x08, [1, 28, 28], Counting(784))));
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), Gzip(Idx(0x08, [1], [9])));
        var data = FashionMnist.Load(dir);
        Assert.Equal([3, 7], data.TrainLabels);
        Assert.Equal([9], data.TestLabels);
        Assert.Equal(2, data.TrainImages.Count);

        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), Gzip(Idx(0x08, [2], [9, 1])));
        var e = Assert.Throws<MirageException>(() => FashionMnist.Load(dir));
        Assert.Contains("t10k set has 1 images but 2 labels", e.Message);
        Directory.Delete(dir, true);
    }

    /// <summary>Debian's dataset-fashion-mnist (installed by .ci/run): sizes, first labels, balanced classes, known pixels.</summary>
    [Fact]
    public void RealFashionMnist()
    {
        var data = FashionMnist.Load();
        Assert.Equal((60000, 28, 28, 1), (data.TrainImages.Count, data.TrainImages.Height, data.TrainImages.Width, data.TrainImages.Channels));
        Assert.Equal(10000, data.TestImages.Count);
        Assert.Equal([9, 0, 0, 3, 0, 2, 7, 2, 5, 5], data.TrainLabels[..10]);
        Assert.Equal([9, 2, 1, 1, 6, 1, 4, 6, 5, 7], data.TestLabels[..10]);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(6000, data.TrainLabels.Count(l => l == c)));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, data.TestLabels.Count(l => l == c)));
        // numpy: x_train[0, 10, 10:20] and the pixel sums of the first training and test images.
        Assert.Equal([0f, 0, 0, 193, 228, 218, 213, 198, 180, 212], data.TrainImages.Data.AsSpan(10 * 28 + 10, 10).ToArray());
        Assert.Equal(76247.0, data.TrainImages.Data.AsSpan(0, 784).ToArray().Sum(v => (double)v));
        Assert.Equal(33456.0, data.TestImages.Data.AsSpan(0, 784).ToArray().Sum(v => (double)v));
    }
}
