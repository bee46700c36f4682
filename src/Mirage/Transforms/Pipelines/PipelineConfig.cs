using System.Text.Json;
using Mirage.Transforms.Composition;

namespace Mirage.Transforms.Pipelines;

/// <summary>
/// Pipeline configs in JSON: <c>{"transforms": [{"name": "...", options...}, {"name": "one_of", "weights": [...], "transforms": [...]}]}</c>.
/// Names and options are snake_case; unknown ones get a "did you mean".
/// </summary>
public static class PipelineConfig
{
    /// <summary>True when <paramref name="json"/> is a pipeline config (an object with a "transforms" key) rather than a Keras options dict.</summary>
    public static bool IsPipelineConfig(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, TransformJson.DocumentOptions);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("transforms", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Parses a pipeline config into the options of its top-level <see cref="Sequential"/>; <paramref name="source"/> names the file in errors.</summary>
    public static SequentialOptions Parse(string json, TransformRegistry? registry = null, string source = "config")
    {
        registry ??= TransformRegistry.Default;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, TransformJson.DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON ({e.Message}).", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("transforms", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new FormatException($"{source}: a pipeline config is {{\"transforms\": [{{\"name\": \"rotate\", \"degrees\": 20}}, ...]}}.");
            foreach (var p in root.EnumerateObject())
                if (p.Name != "transforms")
                    throw new FormatException($"{source}: unknown key '{p.Name}' beside \"transforms\".{Suggest.DidYouMean(p.Name, ["transforms"])}");
            var steps = list.EnumerateArray().Select((t, i) => registry.ParseOptions(t, $"{source}: transforms[{i}]")).ToList();
            if (steps.Count == 0) throw new FormatException($"{source}: \"transforms\" is empty; list at least one transform.");
            return new SequentialOptions { Transforms = steps };
        }
    }

    /// <summary>The config JSON of <paramref name="pipeline"/> (what <see cref="Parse"/> reads).</summary>
    public static string ToJson(SequentialOptions pipeline)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("transforms");
            foreach (var t in pipeline.Transforms) WriteOptions(w, t, withName: true);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Writes one transform's options object (with its children for a composition).</summary>
    public static void WriteOptions(Utf8JsonWriter w, TransformOptions options, bool withName)
    {
        w.WriteStartObject();
        if (withName) w.WriteString("name", options.Name);
        var names = OptionMetadata.Names(options.GetType());
        foreach (var p in JsonSerializer.SerializeToElement(options, options.GetType(), TransformJson.Options).EnumerateObject())
            if (names.Contains(p.Name)) p.WriteTo(w); // the documented options only (not computed helpers)
        if (options is CompositeOptions c)
        {
            w.WriteStartArray("transforms");
            foreach (var t in c.Transforms) WriteOptions(w, t, withName: true);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}
