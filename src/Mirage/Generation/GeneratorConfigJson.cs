using System.Globalization;
using System.Text;
using System.Text.Json;
using Mirage.Kernels.Geometric;

namespace Mirage.Generation;

/// <summary>
/// JSON config with Keras's snake_case constructor arguments, so a Python user pastes the dict they pass to
/// ImageDataGenerator(**config). Python's int/float distinction is kept where Keras gives it meaning: a shift range
/// written 5 is an int (whole pixels from {−4 … 4}), written 5.0 it is a float (uniform in (−5, 5)).
/// </summary>
public sealed partial record ImageDataGeneratorOptions
{
    /// <summary>Keras's argument names, in its constructor order, plus Mirage's keras_compatible.</summary>
    public static IReadOnlyList<string> JsonKeys { get; } =
    [
        "featurewise_center", "samplewise_center", "featurewise_std_normalization", "samplewise_std_normalization",
        "zca_whitening", "zca_epsilon", "rotation_range", "width_shift_range", "height_shift_range", "brightness_range",
        "shear_range", "zoom_range", "channel_shift_range", "fill_mode", "cval", "horizontal_flip", "vertical_flip",
        "rescale", "preprocessing_function", "data_format", "validation_split", "interpolation_order", "dtype",
        "keras_compatible",
    ];

    /// <summary>
    /// Reads a Keras config such as <c>{"rotation_range": 40, "zoom_range": 0.2, "fill_mode": "nearest"}</c>; keys left
    /// out keep Keras's defaults. <paramref name="source"/> (a file name, "--config", …) starts every error message.
    /// The result is validated; Keras's implied flags are applied by the generator, not here.
    /// </summary>
    /// <param name="json">A JSON object; comments and trailing commas are allowed.</param>
    /// <param name="source">Names the input at the start of every error message.</param>
    /// <returns>New, validated options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="InvalidOptionException">The text is not a JSON object, a key is unknown or repeated (with a
    /// did-you-mean suggestion), or a value has the wrong type or range.</exception>
    public static ImageDataGeneratorOptions FromJson(string json, string source = "config")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            string hint = json.Contains("True") || json.Contains("False") || json.Contains("None") || json.Contains('\'')
                ? " Python's True/False/None are written true/false/null in JSON, and strings take double quotes."
                : "";
            throw new InvalidOptionException("", $"{source}: not valid JSON ({e.Message}).{hint}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InvalidOptionException("", $"{source}: expected a JSON object such as {{\"rotation_range\": 40, \"horizontal_flip\": true}}, found {Describe(root)}.");

            var o = new ImageDataGeneratorOptions();
            var seen = new HashSet<string>();
            foreach (var p in root.EnumerateObject())
            {
                string key = p.Name;
                if (!seen.Add(key))
                    throw new InvalidOptionException(key, $"{source}: {key} is given twice.");
                var v = p.Value;
                var r = new Reader(source, key, v);
                o = key switch
                {
                    "featurewise_center" => o with { FeaturewiseCenter = r.Bool() },
                    "samplewise_center" => o with { SamplewiseCenter = r.Bool() },
                    "featurewise_std_normalization" => o with { FeaturewiseStdNormalization = r.Bool() },
                    "samplewise_std_normalization" => o with { SamplewiseStdNormalization = r.Bool() },
                    "zca_whitening" => o with { ZcaWhitening = r.Bool() },
                    "zca_epsilon" => o with { ZcaEpsilon = r.Number() },
                    "rotation_range" => o with { RotationRange = r.Number() },
                    "width_shift_range" => o with { WidthShiftRange = r.Shift() },
                    "height_shift_range" => o with { HeightShiftRange = r.Shift() },
                    "brightness_range" => o with { BrightnessRange = v.ValueKind == JsonValueKind.Null ? null : r.Pair() },
                    "shear_range" => o with { ShearRange = r.Number() },
                    "zoom_range" => o with { ZoomRange = r.Zoom() },
                    "channel_shift_range" => o with { ChannelShiftRange = r.Number() },
                    "fill_mode" => o with { FillMode = r.Choice("\"constant\", \"nearest\", \"reflect\" or \"wrap\"", ("constant", FillMode.Constant), ("nearest", FillMode.Nearest), ("reflect", FillMode.Reflect), ("wrap", FillMode.Wrap)) },
                    "cval" => o with { Cval = r.Number() },
                    "horizontal_flip" => o with { HorizontalFlip = r.Bool() },
                    "vertical_flip" => o with { VerticalFlip = r.Bool() },
                    "rescale" => o with { Rescale = r.Rescale() },
                    "preprocessing_function" => o with { PreprocessingFunction = r.Preprocessing() },
                    // tf.keras accepts data_format=None and dtype=None (meaning the backend's defaults).
                    "data_format" => o with { DataFormat = v.ValueKind == JsonValueKind.Null ? DataFormat.ChannelsLast : r.Choice("\"channels_last\" or \"channels_first\"", ("channels_last", DataFormat.ChannelsLast), ("channels_first", DataFormat.ChannelsFirst)) },
                    "validation_split" => o with { ValidationSplit = r.Number() },
                    "interpolation_order" => o with { InterpolationOrder = r.Order() },
                    "dtype" => o with { Dtype = v.ValueKind == JsonValueKind.Null ? "float32" : r.String() },
                    "keras_compatible" => o with { KerasCompatible = r.Bool() },
                    _ => throw new InvalidOptionException(key, $"{source}: unknown option \"{key}\"{DidYouMean(key)}. Known options: {string.Join(", ", JsonKeys)}."),
                };
            }

            try
            {
                return o.Validate();
            }
            catch (InvalidOptionException e)
            {
                throw new InvalidOptionException(e.Option, $"{source}: {e.Message}");
            }
        }
    }

    /// <summary>
    /// Writes every option with Keras's names; FromJson(ToJson()) gives equal options. Float shift ranges always carry
    /// a decimal point so they read back as floats. A named preprocessing function (<see cref="Preprocessing"/>) is
    /// written as its JSON object; any other function (code) as null.
    /// </summary>
    /// <returns>An indented JSON object with every key of <see cref="JsonKeys"/>.</returns>
    public string ToJson()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteBoolean("featurewise_center", FeaturewiseCenter);
            w.WriteBoolean("samplewise_center", SamplewiseCenter);
            w.WriteBoolean("featurewise_std_normalization", FeaturewiseStdNormalization);
            w.WriteBoolean("samplewise_std_normalization", SamplewiseStdNormalization);
            w.WriteBoolean("zca_whitening", ZcaWhitening);
            WriteFloat(w, "zca_epsilon", ZcaEpsilon);
            WriteFloat(w, "rotation_range", RotationRange);
            WriteShift(w, "width_shift_range", WidthShiftRange);
            WriteShift(w, "height_shift_range", HeightShiftRange);
            if (BrightnessRange is { } b) WritePair(w, "brightness_range", b.Low, b.High);
            else w.WriteNull("brightness_range");
            WriteFloat(w, "shear_range", ShearRange);
            WritePair(w, "zoom_range", ZoomRange.Low, ZoomRange.High);
            WriteFloat(w, "channel_shift_range", ChannelShiftRange);
            w.WriteString("fill_mode", FillMode switch
            {
                FillMode.Constant => "constant",
                FillMode.Nearest => "nearest",
                FillMode.Reflect => "reflect",
                FillMode.Wrap => "wrap",
                _ => throw new InvalidOptionException("fill_mode", $"fill_mode: {FillMode} has no Keras name."),
            });
            WriteFloat(w, "cval", Cval);
            w.WriteBoolean("horizontal_flip", HorizontalFlip);
            w.WriteBoolean("vertical_flip", VerticalFlip);
            if (Rescale is { } r) WriteFloat(w, "rescale", r);
            else w.WriteNull("rescale");
            WritePreprocessing(w, PreprocessingFunction);
            w.WriteString("data_format", DataFormat == DataFormat.ChannelsFirst ? "channels_first" : "channels_last");
            WriteFloat(w, "validation_split", ValidationSplit);
            w.WriteNumber("interpolation_order", (int)InterpolationOrder);
            w.WriteString("dtype", Dtype);
            w.WriteBoolean("keras_compatible", KerasCompatible);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WritePreprocessing(Utf8JsonWriter w, Action<Imaging.Image<float>>? function)
    {
        if (Preprocessing.Describe(function) is not { } clahe)
        {
            w.WriteNull("preprocessing_function");
            return;
        }
        var p = clahe.Parameters;
        w.WriteStartObject("preprocessing_function");
        w.WriteString("name", "clahe");
        WriteFloat(w, "clip_limit", p.ClipLimit);
        w.WritePropertyName("kernel_size");
        if (p.KernelHeight == 0 && p.KernelWidth == 0) w.WriteNullValue();
        else if (p.KernelHeight == p.KernelWidth) w.WriteNumberValue(p.KernelHeight);
        else w.WriteRawValue($"[{p.KernelHeight}, {p.KernelWidth}]");
        w.WriteNumber("nbins", p.NBins);
        WriteFloat(w, "value_range", clahe.ValueRange);
        w.WriteEndObject();
    }

    private static string FloatText(double v)
    {
        string s = v.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') || s.Contains('e') ? s : s + ".0";
    }

    private static void WriteFloat(Utf8JsonWriter w, string name, double v)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(FloatText(v));
    }

    private static void WritePair(Utf8JsonWriter w, string name, double lo, double hi)
    {
        w.WritePropertyName(name);
        w.WriteRawValue($"[{FloatText(lo)}, {FloatText(hi)}]");
    }

    private static void WriteShift(Utf8JsonWriter w, string name, ShiftRange range)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(range.Mode switch
        {
            ShiftRange.Kind.Integer => ((int)range.Value).ToString(CultureInfo.InvariantCulture),
            ShiftRange.Kind.Choices => "[" + string.Join(", ", range.Values.Select(FloatText)) + "]",
            _ => FloatText(range.Value),
        });
    }

    private static string DidYouMean(string key)
    {
        string best = "";
        int bestDistance = int.MaxValue;
        string k = key.ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
        // "rotation" for "rotation_range": a known name that contains the key is the likeliest meaning.
        var containing = JsonKeys.FirstOrDefault(known => k.Length >= 4 && known.Contains(k, StringComparison.Ordinal));
        if (containing is not null) return $" (did you mean \"{containing}\"?)";
        foreach (var known in JsonKeys)
        {
            int d = EditDistance.Levenshtein(k, known);
            if (d < bestDistance)
            {
                best = known;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.Max(3, key.Length / 3) ? $" (did you mean \"{best}\"?)" : "";
    }

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string {v.GetRawText()}",
        JsonValueKind.Number => $"the number {v.GetRawText()}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => v.ValueKind.ToString(),
    };

    /// <summary>Reads one entry; every failure names the source and the key and says what is allowed.</summary>
    private readonly struct Reader(string source, string key, JsonElement v)
    {
        public InvalidOptionException Fail(string expectation) =>
            new(key, $"{source}: {key} must be {expectation} Found {Describe(v)}.");

        public bool Bool() => v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Fail("true or false."),
        };

        public double Number()
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !double.IsFinite(d)) throw Fail("a number.");
            return d;
        }

        public string String() => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Fail("a string.");

        private static bool IsInteger(JsonElement e)
        {
            var raw = e.GetRawText();
            return raw.IndexOfAny(['.', 'e', 'E']) < 0;
        }

        public ShiftRange Shift()
        {
            const string allowed = "a float (0.2 = a fifth of the size; uniform in (−v, v)), an int N (whole pixels from {−(N−1) … N−1}) or a list of numbers.";
            switch (v.ValueKind)
            {
                case JsonValueKind.Number when IsInteger(v):
                    if (!v.TryGetInt32(out int n) || n < 0) throw Fail(allowed);
                    return ShiftRange.Integer(n);
                case JsonValueKind.Number:
                    double d = Number();
                    if (d < 0) throw Fail(allowed);
                    return ShiftRange.Uniform(d);
                case JsonValueKind.Array:
                    var values = new List<double>();
                    foreach (var item in v.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out double x) || !double.IsFinite(x)) throw Fail(allowed);
                        values.Add(x);
                    }
                    if (values.Count == 0) throw Fail(allowed);
                    return ShiftRange.Choices(values.ToArray());
                default:
                    throw Fail(allowed);
            }
        }

        public (double, double) Pair()
        {
            if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != 2) throw Fail("null or a list of two numbers [lo, hi].");
            var a = v[0];
            var b = v[1];
            if (a.ValueKind != JsonValueKind.Number || b.ValueKind != JsonValueKind.Number) throw Fail("null or a list of two numbers [lo, hi].");
            return (a.GetDouble(), b.GetDouble());
        }

        public (double, double) Zoom()
        {
            const string allowed = "a float z in [0, 1) (meaning [1 − z, 1 + z]) or a list of two numbers [lo, hi] with 0 < lo ≤ hi.";
            if (v.ValueKind == JsonValueKind.Number)
            {
                double z = Number();
                if (!(z >= 0 && z < 1)) throw Fail(allowed); // report the z written, not the [1 − z, 1 + z] it would mean
                return (1 - z, 1 + z);
            }
            if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != 2 || v[0].ValueKind != JsonValueKind.Number || v[1].ValueKind != JsonValueKind.Number)
                throw Fail(allowed);
            return (v[0].GetDouble(), v[1].GetDouble());
        }

        public double? Rescale()
        {
            const string allowed = "null, a number or a fraction written as a string such as \"1/255\".";
            switch (v.ValueKind)
            {
                case JsonValueKind.Null:
                    return null;
                case JsonValueKind.Number:
                    return Number();
                case JsonValueKind.String:
                    string s = v.GetString()!.Trim();
                    var parts = s.Split('/');
                    var ci = CultureInfo.InvariantCulture;
                    if (parts.Length == 1 && double.TryParse(parts[0], NumberStyles.Float, ci, out double x) && double.IsFinite(x)) return x;
                    if (parts.Length == 2 && double.TryParse(parts[0].Trim(), NumberStyles.Float, ci, out double num)
                        && double.TryParse(parts[1].Trim(), NumberStyles.Float, ci, out double den) && den != 0 && double.IsFinite(num / den))
                        return num / den;
                    throw Fail(allowed);
                default:
                    throw Fail(allowed);
            }
        }

        /// <summary>null, a name ("clahe") or {"name": "clahe", ...its parameters}; see <see cref="Generation.Preprocessing"/>.</summary>
        public Action<Imaging.Image<float>>? Preprocessing()
        {
            string known = string.Join(", ", Generation.Preprocessing.Names.Select(n => $"\"{n}\""));
            string allowed = $"null or a named function: {known}, as a string or an object such as {{\"name\": \"clahe\", \"clip_limit\": 0.03}} " +
                "(a Python function can't be written in JSON; set ImageDataGeneratorOptions.PreprocessingFunction in code for your own).";
            if (v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind is not (JsonValueKind.String or JsonValueKind.Object)) throw Fail(allowed);
            string? name = v.ValueKind == JsonValueKind.String ? v.GetString()
                : v.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            if (name is null) throw Fail(allowed);
            if (name != "clahe")
                throw new InvalidOptionException(key, $"{source}: {key}: unknown function \"{name}\". Known names: {known}; " +
                    "for your own function set ImageDataGeneratorOptions.PreprocessingFunction in code.");

            var p = new Kernels.Photometric.ClaheParameters();
            float range = 255f;
            // A nested reader names "preprocessing_function.kernel_size" in its message; the option stays preprocessing_function.
            if (v.ValueKind == JsonValueKind.Object)
                try
                {
                    foreach (var e in v.EnumerateObject())
                    {
                        var r = new Reader(source, $"{key}.{e.Name}", e.Value);
                        switch (e.Name)
                        {
                            case "name": break;
                            case "clip_limit": p = p with { ClipLimit = r.Number() }; break;
                            case "nbins": p = p with { NBins = r.Int("a whole number of bins such as 256.") }; break;
                            case "value_range": range = (float)r.Number(); break;
                            case "kernel_size":
                                var (kh, kw) = r.KernelSize();
                                p = p with { KernelHeight = kh, KernelWidth = kw };
                                break;
                            default:
                                throw new InvalidOptionException(key, $"{source}: {key}: clahe has no parameter \"{e.Name}\". Its parameters: name, clip_limit, kernel_size, nbins, value_range.");
                        }
                    }
                }
                catch (InvalidOptionException e) when (e.Option != key)
                {
                    throw new InvalidOptionException(key, e.Message);
                }
            try
            {
                return Generation.Preprocessing.Clahe(p, range);
            }
            catch (ArgumentException e)
            {
                throw new InvalidOptionException(key, $"{source}: {e.Message}");
            }
        }

        public int Int(string expectation)
        {
            if (v.ValueKind == JsonValueKind.Number && IsInteger(v) && v.TryGetInt32(out int i)) return i;
            throw Fail(expectation);
        }

        /// <summary>scikit-image's kernel_size: null (1/8 of each side), an int for both sides, or [height, width].</summary>
        public (int, int) KernelSize()
        {
            const string allowed = "null (1/8 of each side), a whole number of pixels for both sides, or [height, width] (0 = 1/8 of that side).";
            switch (v.ValueKind)
            {
                case JsonValueKind.Null:
                    return (0, 0);
                case JsonValueKind.Number:
                    int k = Int(allowed);
                    return k >= 1 ? (k, k) : throw Fail(allowed);
                case JsonValueKind.Array when v.GetArrayLength() == 2
                                             && v[0].ValueKind == JsonValueKind.Number && IsInteger(v[0]) && v[0].TryGetInt32(out int kh) && kh >= 0
                                             && v[1].ValueKind == JsonValueKind.Number && IsInteger(v[1]) && v[1].TryGetInt32(out int kw) && kw >= 0:
                    return (kh, kw);
                default:
                    throw Fail(allowed);
            }
        }

        public Interpolation Order()
        {
            if (v.ValueKind == JsonValueKind.Number && IsInteger(v) && v.TryGetInt32(out int order) && order is 0 or 1)
                return (Interpolation)order;
            throw Fail("0 (nearest) or 1 (bilinear); scipy's spline orders 2–5 are not supported.");
        }

        public T Choice<T>(string allowed, params (string Name, T Value)[] choices)
        {
            if (v.ValueKind == JsonValueKind.String)
            {
                string s = v.GetString()!;
                foreach (var (name, value) in choices)
                    if (name == s) return value;
            }
            throw Fail(allowed + ".");
        }
    }
}
