using System.CommandLine;
using System.Text.Json;
using Mirage.Transforms;
using Mirage.Transforms.Composition;
using Mirage.Transforms.Pipelines;

namespace Mirage.Cli.Commands;

/// <summary>`mirage transforms [--json]`: every registered transform with its options, defaults and ranges, read from the options records.</summary>
public static class TransformsCommand
{
    /// <summary>`mirage transforms`: lists every transform a pipeline config may name, with its options, defaults and ranges; output goes to <paramref name="stdout"/>/<paramref name="stderr"/> (the console when null).</summary>
    public static Command Create(TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var command = new Command("transforms", "List every transform a pipeline config may name, with its options, defaults and ranges.") { json };
        command.SetAction(parse =>
        {
            var output = stdout ?? Console.Out;
            return CommandRunner.Run(stderr ?? Console.Error, () => output.Write(parse.GetValue(json) ? ToJson(TransformRegistry.Default) : ToText(TransformRegistry.Default)));
        });
        return command;
    }

    private static string Kind(Type options) =>
        typeof(CompositeOptions).IsAssignableFrom(options) ? "composition" :
        typeof(Mirage.Transforms.Geometric.WarpTransformOptions).IsAssignableFrom(options) ? "geometric" : "photometric";

    internal static string ToText(TransformRegistry registry)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("Pipeline config: {\"transforms\": [{\"name\": \"rotate\", \"degrees\": 20}, {\"name\": \"one_of\", \"weights\": [0.7, 0.3], \"transforms\": [...]}]}");
        foreach (var (name, type) in registry.Entries)
        {
            sb.AppendLine();
            sb.AppendLine($"{name} ({Kind(type)})");
            if (typeof(CompositeOptions).IsAssignableFrom(type)) sb.AppendLine("  transforms   [transforms]  the transforms it holds");
            foreach (var o in OptionMetadata.Describe(type))
                sb.AppendLine($"  {o.Name,-14} {o.Type,-16} default {o.Default,-12} range {o.Range,-12} {o.Description}");
        }
        return sb.ToString();
    }

    internal static string ToJson(TransformRegistry registry)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var (name, type) in registry.Entries)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("kind", Kind(type));
                w.WriteStartArray("options");
                foreach (var o in OptionMetadata.Describe(type))
                {
                    w.WriteStartObject();
                    w.WriteString("name", o.Name);
                    w.WriteString("type", o.Type);
                    w.WriteString("default", o.Default);
                    w.WriteString("range", o.Range);
                    w.WriteString("description", o.Description);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray()) + Environment.NewLine;
    }
}
