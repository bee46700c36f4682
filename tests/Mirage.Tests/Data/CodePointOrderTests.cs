using System.Text.Json;
using Mirage.Data;

namespace Mirage.Tests.Data;

/// <summary>
/// Class and file order by code point, as Python's sorted() (Keras): a name outside the BMP (😀, a surrogate pair in
/// UTF-16) sorts after U+E000–U+FFFF (Ａ), where UTF-16 ordinal order puts it before. Oracle: keras-preprocessing's
/// flow_from_directory over the same tree (tools/sort_order_fixtures.py).
/// </summary>
public class CodePointOrderTests
{
    private static readonly JsonElement Fixture = JsonDocument.Parse(
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "ordering", "keras_order.json"))).RootElement;

    [Fact]
    public void DirectoryFlowOrdersClassesAndFilesAsKeras()
    {
        using var t = new TempDir();
        foreach (var f in Fixture.GetProperty("files").EnumerateArray().Select(e => e.GetString()!))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(t[f])!);
            File.WriteAllBytes(t[f], []);
        }
        using var it = DataPipeline.FromDirectory<float>(t.Path, null, new DirectoryFlowOptions { TargetSize = (2, 2), Shuffle = false });
        var expectedClasses = Fixture.GetProperty("class_indices").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(expectedClasses, it.ClassIndices);
        Assert.Equal(Fixture.GetProperty("filenames").EnumerateArray().Select(e => e.GetString()!), it.Filenames.Select(f => f.Replace('\\', '/')));
    }

    [Fact]
    public void TableClassesAreSortedByCodePoint()
    {
        var table = new Table(["filename", "class"], [["a.png", "\uFF21"], ["b.png", "\U0001F600"], ["c.png", "z"], ["d.png", "\uE000"]]);
        var source = DataPipeline.ScanTable(table, new TableFlowOptions { ValidateFilenames = false, TargetSize = (2, 2) });
        Assert.Equal(["z", "\uE000", "\uFF21", "\U0001F600"], source.ClassNames);
    }

    [Theory]
    [InlineData("\U0001F600", "\uFF21", 1)]
    [InlineData("\U0001F600", "\uE000", 1)]
    [InlineData("\uD7FF", "\U0001F600", -1)]
    [InlineData("\U0001F600", "\U0001F601", -1)]
    [InlineData("ab", "a", 1)]
    [InlineData("a", "a", 0)]
    public void ComparesByCodePoint(string x, string y, int sign)
    {
        Assert.Equal(sign, Math.Sign(CodePointComparer.Instance.Compare(x, y)));
        Assert.Equal(-sign, Math.Sign(CodePointComparer.Instance.Compare(y, x)));
        // The same order as comparing UTF-32 code points one by one.
        var a = x.EnumerateRunes().Select(r => r.Value).ToArray();
        var b = y.EnumerateRunes().Select(r => r.Value).ToArray();
        int reference = 0;
        for (int i = 0; i < Math.Min(a.Length, b.Length) && reference == 0; i++) reference = a[i].CompareTo(b[i]);
        if (reference == 0) reference = a.Length.CompareTo(b.Length);
        Assert.Equal(Math.Sign(reference), sign);
    }
}
