using System.Text.Json;
using Mirage.Transforms;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Cli;

[Collection(CliRunner.Collection)]
public class TransformsCommandTests
{
    [Fact]
    public void EveryRegisteredTransformAndOptionIsListed()
    {
        var (exit, output, err) = CliRunner.Run("transforms");
        Assert.True(exit == 0, err);
        foreach (var (name, type) in TransformRegistry.Default.Entries)
        {
            Assert.Contains($"\n{name} (", output);
            foreach (var o in OptionMetadata.Describe(type)) Assert.Contains($"  {o.Name} ", output);
        }
        Assert.Contains("random_resized_crop (geometric)", output);
        Assert.Contains("color_jitter (photometric)", output);
        Assert.Contains("one_of (composition)", output);
    }

    [Fact]
    public void JsonListingCarriesDefaultsAndRanges()
    {
        var (exit, output, _) = CliRunner.Run("transforms", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(TransformRegistry.Default.Entries.Count, doc.RootElement.GetArrayLength());
        var crop = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "random_resized_crop");
        var scale = crop.GetProperty("options").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "scale");
        Assert.Equal("[0.08, 1]", scale.GetProperty("default").GetString());
        Assert.Equal("[1E-06, 1]", scale.GetProperty("range").GetString());
    }

    [Fact]
    public void EveryOptionOfEveryTransformIsDocumentedAndItsDefaultIsValid()
    {
        foreach (var (name, type) in TransformRegistry.Default.Entries)
        {
            var defaults = (TransformOptions)Activator.CreateInstance(type)!;
            Assert.Equal(name, defaults.Name);
            // every public settable property is an option (so nothing escapes the listing and the checks)
            var undocumented = type.GetProperties().Where(p => p.CanWrite && p.Name != "Transforms" && p.GetCustomAttributes(typeof(OptionAttribute), true).Length == 0);
            Assert.Empty(undocumented.Select(p => $"{name}.{p.Name}"));
        }
    }
}
