using System.Text.Json;
using Mirage.Imaging;

namespace Mirage.Tests.Transforms;

/// <summary>torchvision's functional ops on explicit parameters (tools/torchvision_fixtures.py → Fixtures/torchvision/functional.json).</summary>
internal static class TorchvisionFixtures
{
    private static readonly Lazy<JsonDocument> Doc = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "torchvision", "functional.json"))));

    public static Image<byte> Image(int index)
    {
        var img = Doc.Value.RootElement.GetProperty("images")[index];
        var shape = img.GetProperty("shape");
        return Image<byte>.Wrap(img.GetProperty("data").GetBytesFromBase64(), shape[0].GetInt32(), shape[1].GetInt32(), shape[2].GetInt32());
    }

    public static IEnumerable<JsonElement> Cases(string op) =>
        Doc.Value.RootElement.GetProperty("cases").EnumerateArray().Where(c => c.GetProperty("op").GetString() == op);

    /// <summary>(largest absolute difference, count of values that differ).</summary>
    public static (int Max, int Count) Compare(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int max = 0, count = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int d = Math.Abs(expected[i] - actual[i]);
            if (d > 0) count++;
            max = Math.Max(max, d);
        }
        return (max, count);
    }
}
