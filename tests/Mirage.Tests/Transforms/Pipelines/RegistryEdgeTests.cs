using Mirage.Transforms;
using Mirage.Transforms.Composition;
using Mirage.Transforms.Geometric;
using Mirage.Transforms.Pipelines;

namespace Mirage.Tests.Transforms.Pipelines;

/// <summary>The registry and pipeline configs: registration rules, every parse error's wording, suggestions and their cut-off.</summary>
public class RegistryEdgeTests
{
    private static string Error(string json) => Assert.Throws<FormatException>(() => TransformPipeline.FromJson(json, source: "c.json")).Message;

    [Fact]
    public void A_name_registers_once()
    {
        var r = TransformRegistry.CreateDefault();
        var e = Assert.Throws<ArgumentException>(() => r.Register<RotateOptions>());
        Assert.Equal("A transform named 'rotate' is already registered (RotateOptions).", e.Message);
        Assert.Equal("TransformRegistry.Default is shared; register on TransformRegistry.CreateDefault() instead.",
            Assert.Throws<InvalidOperationException>(() => TransformRegistry.Default.Register<SkewOptions>()).Message);
    }

    [Fact]
    public void Entries_are_sorted_by_name_with_their_option_types()
    {
        var entries = TransformRegistry.Default.Entries;
        Assert.Equal(17, entries.Count);
        Assert.Equal(entries.Select(e => e.Name).Order(StringComparer.Ordinal), entries.Select(e => e.Name));
        Assert.Equal(("brightness", typeof(Mirage.Transforms.Photometric.BrightnessOptions)), entries[0]);
        Assert.Contains(("some_of", typeof(SomeOfOptions)), entries);
    }

    [Theory]
    [InlineData("""{"transforms": [3]}""", "c.json: transforms[0]: a transform is a JSON object such as {\"name\": \"rotate\", \"degrees\": 20}, found Number.")]
    [InlineData("""{"transforms": [{"name": 3}]}""", "c.json: transforms[0]: the transform has no \"name\". Known: brightness, channel_shift, color_jitter, horizontal_flip, normalize, one_of, random_apply, random_order, random_resized_crop, rescale, rotate, sequential, shear, shift, some_of, vertical_flip, zoom.")]
    [InlineData("""{"transforms": [{"name": "one_of", "transforms": {"name": "rotate"}}]}""", "c.json: transforms[0] (one_of): \"transforms\" must be a list of transforms.")]
    [InlineData("""{"transforms": [{"name": "sequential", "x": 1, "transforms": [{"name": "rotate"}]}]}""", "c.json: transforms[0] (sequential): unknown option 'x'. Options: none.")]
    [InlineData("""{"transforms": [{"name": "sequential", "transfrms": [{"name": "rotate"}]}]}""", "c.json: transforms[0] (sequential): unknown option 'transfrms'. Did you mean 'transforms'? Options: none.")]
    [InlineData("""{"transforms": [{"name": "rotate", "transforms": [{"name": "rotate"}]}]}""", "c.json: transforms[0] (rotate): unknown option 'transforms'. Options: degrees, interpolation, fill_mode, cval, centre.")]
    [InlineData("""{"transforms": [{"name": "one_of"}]}""", "c.json: transforms[0] (one_of): needs \"transforms\": [ ... ] with at least one transform.")]
    [InlineData("""{"transforms": [{"name": "one_of", "transforms": []}]}""", "c.json: transforms[0] (one_of): needs \"transforms\": [ ... ] with at least one transform.")]
    [InlineData("""{"transforms": []}""", "c.json: \"transforms\" is empty; list at least one transform.")]
    [InlineData("""{"transforms": {}}""", "c.json: a pipeline config is {\"transforms\": [{\"name\": \"rotate\", \"degrees\": 20}, ...]}.")]
    [InlineData("""[]""", "c.json: a pipeline config is {\"transforms\": [{\"name\": \"rotate\", \"degrees\": 20}, ...]}.")]
    [InlineData("""{"transforms": [{"name": "rotate"}], "transform": 1}""", "c.json: unknown key 'transform' beside \"transforms\". Did you mean 'transforms'?")]
    [InlineData("""{"transforms": [{"name": "rotate"}], "seed": 1}""", "c.json: unknown key 'seed' beside \"transforms\".")]
    [InlineData("""{"transforms": [{"name": "xyzzy"}]}""", "c.json: transforms[0]: unknown transform 'xyzzy'. Run 'mirage transforms' for the list.")]
    [InlineData("""{"transforms": [{"name": "ROTATE"}]}""", "c.json: transforms[0]: unknown transform 'ROTATE'. Did you mean 'rotate'? Run 'mirage transforms' for the list.")]
    [InlineData("""{"transforms": [{"name": "zo"}]}""", "c.json: transforms[0]: unknown transform 'zo'. Did you mean 'zoom'? Run 'mirage transforms' for the list.")]
    [InlineData("""{"transforms": [{"name": "z"}]}""", "c.json: transforms[0]: unknown transform 'z'. Run 'mirage transforms' for the list.")]
    [InlineData("""{"transforms": [{"name": "rotate", "degrees": "a lot"}]}""", "c.json: transforms[0] (rotate): option 'degrees': ")]
    [InlineData("""{"transforms": [{"name": "rotate", "fill_mode": "mirror"}]}""", "c.json: transforms[0] (rotate): option 'fill_mode': ")]
    public void Config_errors_say_exactly_what_is_wrong(string json, string message)
    {
        var actual = Error(json);
        if (message.EndsWith(": ")) Assert.StartsWith(message, actual);
        else Assert.Equal(message, actual);
    }

    [Fact]
    public void Suggestions_stop_at_half_the_length()
    {
        // 'rotatexxxx' (10 letters) is 4 edits from 'rotate': within max(2, 5)
        Assert.Contains("Did you mean 'rotate'?", Error("""{"transforms": [{"name": "rotatexxxx"}]}"""));
        // 'rotatexxxxxx' (12) is 6 edits: within max(2, 6)
        Assert.Contains("Did you mean 'rotate'?", Error("""{"transforms": [{"name": "rotatexxxxxx"}]}"""));
        // 'rotatexxxxxxx' (13) is 7 edits: beyond max(2, 6)
        Assert.DoesNotContain("Did you mean", Error("""{"transforms": [{"name": "rotatexxxxxxx"}]}"""));
    }

    [Fact]
    public void Configs_tell_themselves_apart()
    {
        Assert.False(PipelineConfig.IsPipelineConfig("[{\"transforms\": []}]"));
        Assert.True(PipelineConfig.IsPipelineConfig("{\"transforms\": 3, } // a comment"));
        Assert.StartsWith("c.json: not valid JSON (", Error("{\"transforms\": ["));
    }

    [Fact]
    public void Configs_write_indented_with_documented_options_and_nested_transforms()
    {
        var p = new TransformPipeline(new OneOfOptions { Transforms = [new RotateOptions { Degrees = 5 }], Weights = [2] });
        string json = p.ToJson();
        Assert.StartsWith("{\n  \"transforms\": [\n    {\n      \"name\": \"one_of\",\n      \"weights\": [\n        2\n      ],\n      \"transforms\": [\n        {\n          \"name\": \"rotate\",\n          \"degrees\": 5,", json.ReplaceLineEndings("\n"));
        var again = (OneOfOptions)TransformPipeline.FromJson(json).Options.Transforms[0];
        Assert.Equal(5, ((RotateOptions)again.Transforms[0]).Degrees);
        Assert.Equal([2.0], again.Weights);
    }
}
