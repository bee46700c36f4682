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
    /// <param name="json">Any text; malformed JSON gives false, not an exception.</param>
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
    /// <param name="json">A config such as <c>{"transforms": [{"name": "rotate", "degrees": 15}]}</c>; comments and
    /// trailing commas are allowed.</param>
    /// <param name="registry">The transform names to accept, or null for <see cref="TransformRegistry.Default"/>.</param>
    /// <param name="source">Names the input at the start of every error message.</param>
    /// <returns>Validated options; nothing is built yet (<see cref="TransformOptions.Create"/> builds).</returns>
    /// <exception cref="FormatException">The JSON is malformed, is not <c>{"transforms": [...]}</c>, the list is empty,
    /// or a transform or option is unknown (with a did-you-mean) or out of range; the message gives the path, e.g.
    /// <c>config: transforms[1] (rotate)</c>.</exception>
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
    /// <param name="pipeline">The top-level sequence.</param>
    /// <returns>Indented JSON with every documented option, defaults included.</returns>
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
    /// <param name="w">The writer; positioned where a value may start.</param>
    /// <param name="options">The options to write; only properties marked <see cref="OptionAttribute"/> are written.</param>
    /// <param name="withName">Write the <c>"name"</c> key (false inside recorded parameters, which name the transform
    /// beside).</param>
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
