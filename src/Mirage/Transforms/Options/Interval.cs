using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mirage.Transforms;

/// <summary>A closed interval [low, high] of an option; JSON <c>[low, high]</c>.</summary>
/// <param name="Low">Inclusive lower end; options require Low ≤ High.</param>
/// <param name="High">Inclusive upper end.</param>
[JsonConverter(typeof(IntervalJsonConverter))]
public readonly record struct Interval(double Low, double High)
{
    /// <summary>As JSON writes it: <c>[low, high]</c>.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{Low:G}, {High:G}]");
}

/// <summary>An output size (height, width) in pixels; JSON <c>[height, width]</c> or one number for a square.</summary>
/// <param name="Height">Rows, in pixels.</param>
/// <param name="Width">Columns, in pixels.</param>
[JsonConverter(typeof(SizeJsonConverter))]
public readonly record struct Size(int Height, int Width)
{
    /// <summary>As JSON writes it: <c>[height, width]</c> (height first).</summary>
    public override string ToString() => $"[{Height}, {Width}]";
}

internal sealed class IntervalJsonConverter : JsonConverter<Interval>
{
    public override Interval Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var v = JsonPairs.Read(ref reader, "[low, high]");
        return new Interval(v.A, v.B);
    }

    public override void Write(Utf8JsonWriter writer, Interval value, JsonSerializerOptions options) => JsonPairs.Write(writer, value.Low, value.High);
}

internal sealed class SizeJsonConverter : JsonConverter<Size>
{
    public override Size Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) return new Size(reader.GetInt32(), reader.GetInt32());
        var v = JsonPairs.Read(ref reader, "[height, width]");
        if (v.A != Math.Floor(v.A) || v.B != Math.Floor(v.B)) throw new JsonException($"expected whole numbers [height, width], got [{v.A}, {v.B}]");
        return new Size((int)v.A, (int)v.B);
    }

    public override void Write(Utf8JsonWriter writer, Size value, JsonSerializerOptions options) => JsonPairs.Write(writer, value.Height, value.Width);
}

internal static class JsonPairs
{
    public static (double A, double B) Read(ref Utf8JsonReader reader, string shape)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"expected {shape}, found {reader.TokenType}");
        var v = new List<double>(2);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number) throw new JsonException($"expected numbers in {shape}, found {reader.TokenType}");
            v.Add(reader.GetDouble());
        }
        if (v.Count != 2) throw new JsonException($"expected {shape} (two numbers), got {v.Count}");
        return (v[0], v[1]);
    }

    public static void Write(Utf8JsonWriter writer, double a, double b)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(a);
        writer.WriteNumberValue(b);
        writer.WriteEndArray();
    }
}
