using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mirage.Transforms;

/// <summary>
/// The parameters of one augmentation, with the meanings of Keras's get_random_transform dictionary:
/// theta (rotation, degrees), tx (shift along rows, pixels), ty (shift along columns, pixels), shear (degrees),
/// zx/zy (zoom of rows/columns; above 1 zooms out), flips, channel_shift_intensity and brightness (null = not applied).
/// JSON uses Keras's names, so a dictionary printed by Python loads as it is.
/// </summary>
public readonly record struct TransformParameters
{
    /// <summary>Rotation in degrees (Keras's theta); positive turns the content clockwise as displayed. Default 0.</summary>
    [JsonPropertyName("theta")] public double Theta { get; init; }
    /// <summary>Shift along rows in pixels (Keras's tx, from height_shift_range); positive moves the content up.</summary>
    [JsonPropertyName("tx")] public double Tx { get; init; }
    /// <summary>Shift along columns in pixels (Keras's ty, from width_shift_range); positive moves the content left.</summary>
    [JsonPropertyName("ty")] public double Ty { get; init; }
    /// <summary>Shear angle in degrees (Keras's shear). Default 0.</summary>
    [JsonPropertyName("shear")] public double Shear { get; init; }
    /// <summary>Zoom of rows (Keras's zx): scales the row sampling position, so above 1 zooms out. Default 1.</summary>
    [JsonPropertyName("zx")] public double Zx { get; init; } = 1;
    /// <summary>Zoom of columns (Keras's zy); above 1 zooms out. Default 1.</summary>
    [JsonPropertyName("zy")] public double Zy { get; init; } = 1;
    /// <summary>Mirror left–right (Keras's flip_horizontal), after the warp and channel shift.</summary>
    [JsonPropertyName("flip_horizontal")] public bool FlipHorizontal { get; init; }
    /// <summary>Mirror top–bottom (Keras's flip_vertical), after the horizontal flip.</summary>
    [JsonPropertyName("flip_vertical")] public bool FlipVertical { get; init; }
    /// <summary>Value added to every value, then clipped to the image's min..max (Keras's channel_shift_intensity); null
    /// for none.</summary>
    [JsonPropertyName("channel_shift_intensity")] public double? ChannelShiftIntensity { get; init; }
    /// <summary>Brightness factor (Keras's brightness), applied last on the 0..255 scale; null for none.</summary>
    [JsonPropertyName("brightness")] public double? Brightness { get; init; }

    /// <summary>Parameters that change nothing: zooms 1, everything else 0, false or null.</summary>
    public TransformParameters() { }

    /// <summary>Parameters that change nothing.</summary>
    public static TransformParameters Identity => new();

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new FlexibleBoolConverter() },
    };

    /// <summary>Keras's dictionary as compact JSON with its names (<c>theta</c>, <c>tx</c>, …); <see cref="FromJson"/> reads
    /// it back.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses Keras's parameter dictionary; <paramref name="source"/> names the file in errors.</summary>
    /// <param name="json">A JSON object with any of Keras's keys; flips may be true/false, 0/1 or 0.0/1.0; numbers may be
    /// strings; comments and trailing commas are allowed.</param>
    /// <param name="source">Names the input at the start of every error message.</param>
    /// <returns>Validated parameters (<see cref="Validated"/>); keys left out keep the identity's values.</returns>
    /// <exception cref="FormatException">Not JSON or not an object, an unknown key, a value of the wrong type, or a value
    /// out of range.</exception>
    public static TransformParameters FromJson(string json, string source = "parameters")
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new FormatException($"{source}: expected a JSON object such as {{\"theta\": 10, \"zx\": 0.9}}, found {doc.RootElement.ValueKind}.");
            var known = new HashSet<string> { "theta", "tx", "ty", "shear", "zx", "zy", "flip_horizontal", "flip_vertical", "channel_shift_intensity", "brightness" };
            foreach (var p in doc.RootElement.EnumerateObject())
                if (!known.Contains(p.Name))
                    throw new FormatException($"{source}: unknown parameter '{p.Name}'. Known: {string.Join(", ", known)}.");
            return doc.RootElement.Deserialize<TransformParameters>(Json).Validated(source);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid transform parameters JSON ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Checks that the values make a usable transform: every number finite; angles within ±1e6 degrees and shifts within
    /// ±1e7 pixels (beyond that sin/cos and the matrix lose all precision); zooms between 1e-6 and 1e6 in magnitude (0 is
    /// a singular matrix); brightness ≥ 0. Errors name the parameter and the value given.
    /// </summary>
    /// <param name="source">Starts every error message.</param>
    /// <returns>This value, unchanged, so calls chain.</returns>
    /// <exception cref="FormatException">A value is not finite or out of range.</exception>
    public TransformParameters Validated(string source = "parameters")
    {
        static string F(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        void Check(bool ok, string name, double value, string rule)
        {
            if (!ok) throw new FormatException($"{source}: {name} must be {rule}; got {F(value)}.");
        }
        Check(double.IsFinite(Theta) && Math.Abs(Theta) <= 1e6, "theta", Theta, "an angle in degrees within ±1e6");
        Check(double.IsFinite(Shear) && Math.Abs(Shear) <= 1e6, "shear", Shear, "an angle in degrees within ±1e6");
        Check(double.IsFinite(Tx) && Math.Abs(Tx) <= 1e7, "tx", Tx, "a shift in pixels within ±1e7");
        Check(double.IsFinite(Ty) && Math.Abs(Ty) <= 1e7, "ty", Ty, "a shift in pixels within ±1e7");
        Check(double.IsFinite(Zx) && Math.Abs(Zx) is >= 1e-6 and <= 1e6, "zx", Zx, "a zoom factor between 1e-6 and 1e6 in magnitude (1 = none)");
        Check(double.IsFinite(Zy) && Math.Abs(Zy) is >= 1e-6 and <= 1e6, "zy", Zy, "a zoom factor between 1e-6 and 1e6 in magnitude (1 = none)");
        if (ChannelShiftIntensity is { } c) Check(double.IsFinite(c), "channel_shift_intensity", c, "a finite number or null");
        if (Brightness is { } b) Check(double.IsFinite(b) && b >= 0, "brightness", b, "a factor ≥ 0 or null (1 = none)");
        return this;
    }

    /// <summary>Python writes flips as true/false, 0/1 or (from numpy) 0.0/1.0; accept them all.</summary>
    private sealed class FlexibleBoolConverter : JsonConverter<bool>
    {
        public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.Number => reader.GetDouble() != 0,
            _ => throw new JsonException($"expected true/false or a number, found {reader.TokenType}"),
        };

        public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
    }
}
