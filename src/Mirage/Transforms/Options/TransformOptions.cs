using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace Mirage.Transforms;

/// <summary>
/// The immutable options of one transform. Every option is a property marked <see cref="OptionAttribute"/>; its setter
/// checks the value against the attribute's range when the record is built (in code or from JSON), and
/// <c>mirage transforms</c> lists the same attributes, so the documentation cannot drift from the checks.
/// </summary>
public abstract record TransformOptions
{
    /// <summary>The registered name (snake_case), used in JSON configs, recorded parameters and error messages.</summary>
    [JsonIgnore] public abstract string Name { get; }

    /// <summary>Builds the transform these options describe.</summary>
    /// <returns>A new transform; it keeps these options (which are immutable), so it may be shared across threads.</returns>
    public abstract ITransform Create();

    /// <summary>Checks <paramref name="value"/> against <paramref name="property"/>'s <see cref="OptionAttribute"/>; call it from init setters.</summary>
    /// <typeparam name="T">The option's type: double, int, <see cref="Interval"/>, <see cref="Size"/> or a list of doubles
    /// are checked; anything else passes.</typeparam>
    /// <param name="value">The value being set.</param>
    /// <param name="property">The property's C# name; filled in by the compiler.</param>
    /// <returns><paramref name="value"/>, unchanged.</returns>
    /// <exception cref="ArgumentException">The value (or an element) is not finite or lies outside the attribute's range;
    /// the message names the transform and the option in snake_case.</exception>
    protected T Checked<T>(T value, [CallerMemberName] string property = "")
    {
        var attr = OptionMetadata.Attribute(GetType(), property);
        if (attr is not null) OptionMetadata.Check(Name, OptionMetadata.JsonName(property), attr, value);
        return value;
    }
}

/// <summary>Documents and bounds an option: its range (inclusive) and one line saying what it does.</summary>
/// <param name="description">One line saying what the option does, shown by <c>mirage transforms</c>.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionAttribute(string description) : Attribute
{
    /// <summary>One line saying what the option does (listed by <c>mirage transforms</c>).</summary>
    public string Description { get; } = description;
    /// <summary>Smallest allowed value (every element, for intervals, sizes and lists); NaN: unbounded.</summary>
    public double Min { get; init; } = double.NaN;
    /// <summary>Largest allowed value; NaN: unbounded.</summary>
    public double Max { get; init; } = double.NaN;

    /// <summary>The range as listed: <c>any</c>, <c>&gt;= min</c>, <c>&lt;= max</c> or <c>[min, max]</c>.</summary>
    public string RangeText => (double.IsNaN(Min), double.IsNaN(Max)) switch
    {
        (true, true) => "any",
        // Invariant: the range is quoted beside JSON values, which use a decimal point in every locale.
        (false, true) => string.Create(CultureInfo.InvariantCulture, $">= {Min:G}"),
        (true, false) => string.Create(CultureInfo.InvariantCulture, $"<= {Max:G}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"[{Min:G}, {Max:G}]"),
    };
}

/// <summary>Reads <see cref="OptionAttribute"/>s: the checks behind every options setter, and the listing of <c>mirage transforms</c>.</summary>
public static class OptionMetadata
{
    private static readonly ConcurrentDictionary<(Type, string), OptionAttribute?> Cache = new();

    /// <summary>One documented option of an options record.</summary>
    /// <param name="Name">The JSON (snake_case) name.</param>
    /// <param name="Type">A readable type: <c>number</c>, <c>integer</c>, <c>bool</c>, <c>[low, high]</c>,
    /// <c>[height, width]</c>, <c>[numbers]</c> or the enum's values joined by <c>|</c>.</param>
    /// <param name="Default">The default value as text (<c>none</c> for null).</param>
    /// <param name="Range">The allowed range (<see cref="OptionAttribute.RangeText"/>).</param>
    /// <param name="Description">What the option does.</param>
    public sealed record Option(string Name, string Type, string Default, string Range, string Description);

    /// <summary>The JSON name of a C# property name: snake_case (<c>ClipLimit</c> → <c>clip_limit</c>).</summary>
    /// <param name="property">A PascalCase property name.</param>
    public static string JsonName(string property) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(property);

    internal static OptionAttribute? Attribute(Type type, string property) =>
        Cache.GetOrAdd((type, property), k => k.Item1.GetProperty(k.Item2)?.GetCustomAttribute<OptionAttribute>());

    /// <summary>The documented options of <paramref name="optionsType"/> with their defaults (from a default-constructed record).</summary>
    /// <param name="optionsType">A <see cref="TransformOptions"/> type with a public parameterless constructor.</param>
    /// <returns>One entry per property marked <see cref="OptionAttribute"/>, in declaration order.</returns>
    public static IReadOnlyList<Option> Describe(Type optionsType)
    {
        var defaults = Activator.CreateInstance(optionsType);
        var list = new List<Option>();
        foreach (var p in optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var attr = p.GetCustomAttribute<OptionAttribute>();
            if (attr is null) continue;
            list.Add(new Option(JsonName(p.Name), TypeName(p.PropertyType), Format(p.GetValue(defaults)), attr.RangeText, attr.Description));
        }
        return list;
    }

    /// <summary>Names of every option of <paramref name="optionsType"/> in JSON.</summary>
    /// <param name="optionsType">A <see cref="TransformOptions"/> type.</param>
    public static IReadOnlyList<string> Names(Type optionsType) =>
        optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<OptionAttribute>() is not null).Select(p => JsonName(p.Name)).ToList();

    private static string TypeName(Type t) =>
        t == typeof(double) ? "number" : t == typeof(int) ? "integer" : t == typeof(bool) ? "bool" :
        t == typeof(Interval) ? "[low, high]" : t == typeof(Size) ? "[height, width]" :
        t == typeof(double[]) || t == typeof(IReadOnlyList<double>) ? "[numbers]" : t.IsEnum ? string.Join("|", Enum.GetNames(t).Select(JsonName)) :
        t.Name;

    private static string Format(object? v) => v switch
    {
        null => "none",
        double d => d.ToString("G", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum e => JsonName(e.ToString()),
        IEnumerable<double> xs => "[" + string.Join(", ", xs.Select(x => x.ToString("G", CultureInfo.InvariantCulture))) + "]",
        _ => v.ToString() ?? "",
    };

    internal static void Check(string transform, string option, OptionAttribute a, object? value)
    {
        switch (value)
        {
            case double d: In(d); break;
            case int i: In(i); break;
            case Interval r:
                In(r.Low);
                In(r.High);
                if (r.Low > r.High) throw Bad(string.Create(CultureInfo.InvariantCulture, $"must be [low, high] with low <= high, got [{r.Low:G}, {r.High:G}]"));
                break;
            case Size s:
                In(s.Height);
                In(s.Width);
                break;
            case IEnumerable<double> xs:
                foreach (var x in xs) In(x);
                break;
        }

        void In(double x)
        {
            if (!double.IsFinite(x)) throw Bad(string.Create(CultureInfo.InvariantCulture, $"must be a finite number, got {x}"));
            if ((!double.IsNaN(a.Min) && x < a.Min) || (!double.IsNaN(a.Max) && x > a.Max))
                throw Bad(string.Create(CultureInfo.InvariantCulture, $"must be in {a.RangeText}, got {x:G}"));
        }

        ArgumentException Bad(string what) => new($"{transform}: option '{option}' {what}.", option);
    }
}
