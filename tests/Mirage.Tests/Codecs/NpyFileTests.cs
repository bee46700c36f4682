using Mirage.Codecs;
using Mirage.Imaging;

namespace Mirage.Tests.Codecs;

public sealed class NpyFileTests : IDisposable
{
    // Bytes written by numpy 1.24 (np.save, or np.lib.format.write_array for version 2.0).
    private const string F8 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADgPwAAAAAAAPS/AAAAAAAACED8qfHSTWJQPwAAAAAA4G9AAAAAAAAAH0A=";
    private const string F4V2 = "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAPwAAgD8AAMA/AAAAQAAAIEAAAEBAAABgQA==";
    private const string Fortran = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=";
    private const string I4 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAQAAAAIAAAA=";
    private const string BigEndianF8 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPmY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/+AAAAAAAAMAAAAAAAAAA";
    private const string U1 = "k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMsIDQpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhc=";

    private readonly string _dir = Directory.CreateTempSubdirectory("mirage-npy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Save(string name, string base64)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, Convert.FromBase64String(base64));
        return path;
    }

    [Fact]
    public void ReadsNumpyFloat64IntoFloat()
    {
        var a = NpyFile.Read(Save("f8.npy", F8));
        Assert.Equal(NpyDType.Float64, a.DType);
        Assert.Equal([2, 3], a.Shape);
        Assert.Equal([0.5f, -1.25f, 3f, 1e-3f, 255f, 7.75f], a.Floats!);
    }

    [Fact]
    public void ReadsNumpyVersion2Float32()
    {
        var (data, shape) = NpyFile.ReadFloat(Save("v2.npy", F4V2));
        Assert.Equal([2, 2, 2], shape);
        Assert.Equal([0f, 0.5f, 1f, 1.5f, 2f, 2.5f, 3f, 3.5f], data);
    }

    [Fact]
    public void ReadsBigEndianFloat64()
    {
        var (data, shape) = NpyFile.ReadFloat(Save("be.npy", BigEndianF8));
        Assert.Equal([2], shape);
        Assert.Equal([1.5f, -2f], data);
    }

    [Fact]
    public void ReadsNumpyUInt8AsImageAndWritesTheSameBytes()
    {
        string path = Save("u1.npy", U1);
        using var img = NpyFile.ReadImageByte(path);
        Assert.Equal(new ImageInfo(2, 3, 4), img.Info);
        Assert.Equal((byte)23, img[1, 2, 3]);
        string mine = Path.Combine(_dir, "mine.npy");
        NpyFile.Write(mine, img);
        Assert.Equal(Convert.FromBase64String(U1), File.ReadAllBytes(mine));
    }

    [Fact]
    public void ReadsTheKerasFixtures()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "keras");
        using var input = NpyFile.ReadImageFloat(Path.Combine(folder, "in_chelsea_17x23.npy"));
        Assert.Equal(new ImageInfo(17, 23, 3), input.Info);
        var grey = NpyFile.Read(Path.Combine(folder, "in_camera_45x38_grey.npy"));
        Assert.Equal([45, 38, 1], grey.Shape);
        Assert.Equal(NpyDType.UInt8, grey.DType);
    }

    [Theory]
    [InlineData(new[] { 5 })]
    [InlineData(new[] { 3, 4 })]
    [InlineData(new[] { 2, 3, 4 })]
    [InlineData(new[] { 2, 3, 4, 5 })]
    [InlineData(new int[0])]
    public void RoundTripsFloatAndBytesInAnyShape(int[] shape)
    {
        int n = 1;
        foreach (int d in shape) n *= d;
        var floats = Enumerable.Range(0, n).Select(i => i * 0.25f - 3f).ToArray();
        var bytes = Enumerable.Range(0, n).Select(i => (byte)(i * 7)).ToArray();
        string fp = Path.Combine(_dir, "f.npy"), bp = Path.Combine(_dir, "b.npy");
        NpyFile.Write(fp, floats, shape);
        NpyFile.Write(bp, bytes, shape);
        var f = NpyFile.Read(fp);
        var b = NpyFile.Read(bp);
        Assert.Equal(shape, f.Shape);
        Assert.Equal(floats, f.Floats!);
        Assert.Equal(shape, b.Shape);
        Assert.Equal(bytes, b.Bytes!);
        Assert.Equal(0, (new FileInfo(fp).Length - n * 4) % 64); // data starts on a 64-byte boundary
    }

    [Fact]
    public void WriteReplacesAnExistingFileAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_dir, "x.npy");
        File.WriteAllText(path, "old");
        using var img = new Image<float>(3, 2, 1);
        img[2, 1, 0] = 4.5f;
        NpyFile.Write(path, img);
        using var back = NpyFile.ReadImageFloat(path);
        Assert.Equal(4.5f, back[2, 1, 0]);
        Assert.Equal(["x.npy"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void BadFilesGiveMirageExceptionsNamingTheFile()
    {
        string fortran = Save("fortran.npy", Fortran);
        var e = Assert.Throws<MirageException>(() => NpyFile.Read(fortran));
        Assert.Contains("fortran.npy", e.Message);
        Assert.Contains("fortran_order", e.Message);

        string i4 = Save("ints.npy", I4);
        e = Assert.Throws<MirageException>(() => NpyFile.Read(i4));
        Assert.Contains("ints.npy", e.Message);
        Assert.Contains("<i4", e.Message);

        string junk = Path.Combine(_dir, "junk.npy");
        File.WriteAllText(junk, "definitely not numpy");
        e = Assert.Throws<MirageException>(() => NpyFile.Read(junk));
        Assert.Contains("junk.npy", e.Message);

        var truncated = Convert.FromBase64String(F8)[..^5];
        e = Assert.Throws<MirageException>(() => NpyFile.Parse(truncated, "cut.npy"));
        Assert.Contains("cut.npy", e.Message);

        e = Assert.Throws<MirageException>(() => NpyFile.ReadBytes(Save("f8b.npy", F8)));
        Assert.Contains("f8b.npy", e.Message);
    }

    [Fact]
    public void ShapeMustMatchTheData() =>
        Assert.Throws<ArgumentException>(() => NpyFile.Write(Path.Combine(_dir, "bad.npy"), new float[5], [2, 3]));
}
