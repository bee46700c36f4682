using System.Text.Json;
using Mirage.Transforms.Composition;
using Mirage.Transforms.Geometric;
using Mirage.Transforms.Photometric;

namespace Mirage.Transforms.Pipelines;

/// <summary>
/// Transform names → options record types: what JSON configs and recorded parameters may name, and what
/// <c>mirage transforms</c> lists. <see cref="Default"/> holds every built-in transform; a user registers their own
/// with <see cref="Register{TOptions}"/> on a registry of their own (<see cref="CreateDefault"/>).
/// </summary>
/// <remarks>Register everything before the registry is used; lookups may then run on many threads, but registering
/// concurrently with them is not safe.</remarks>
public sealed class TransformRegistry
{
    private readonly Dictionary<string, Type> _types = new(StringComparer.Ordinal);

    /// <summary>The built-in transforms (read-only use; create your own registry to add transforms).</summary>
    public static TransformRegistry Default { get; } = CreateDefault();

    /// <summary>A new registry holding the built-in transforms.</summary>
    public static TransformRegistry CreateDefault()
    {
        var r = new TransformRegistry();
        r.Register<RotateOptions>();
        r.Register<ShiftOptions>();
        r.Register<ShearOptions>();
        r.Register<ZoomOptions>();
        r.Register<HorizontalFlipOptions>();
        r.Register<VerticalFlipOptions>();
        r.Register<RandomResizedCropOptions>();
        r.Register<ChannelShiftOptions>();
        r.Register<BrightnessOptions>();
        r.Register<ColorJitterOptions>();
        r.Register<RescaleOptions>();
        r.Register<NormalizeOptions>();
        r.Register<SequentialOptions>();
        r.Register<OneOfOptions>();
        r.Register<SomeOfOptions>();
        r.Register<RandomApplyOptions>();
        r.Register<RandomOrderOptions>();
        return r;
    }

    /// <summary>Adds a transform; its name is its options' <see cref="TransformOptions.Name"/>.</summary>
    /// <typeparam name="TOptions">The options record; its default instance gives the name and the defaults.</typeparam>
    /// <exception cref="InvalidOperationException">This is the shared <see cref="Default"/> registry.</exception>
    /// <exception cref="ArgumentException">A transform with the same name is already registered.</exception>
    public void Register<TOptions>() where TOptions : TransformOptions, new()
    {
        if (ReferenceEquals(this, Default)) throw new InvalidOperationException("TransformRegistry.Default is shared; register on TransformRegistry.CreateDefault() instead.");
        string name = new TOptions().Name;
        if (!_types.TryAdd(name, typeof(TOptions))) throw new ArgumentException($"A transform named '{name}' is already registered ({_types[name].Name}).");
    }

    /// <summary>Every registered transform: name and options type, by name.</summary>
    public IReadOnlyList<(string Name, Type OptionsType)> Entries => _types.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)).ToList();

    /// <summary>Options from one JSON object <c>{"name": ..., options...}</c> (compositions with their <c>"transforms"</c>); <paramref name="where"/> prefixes errors.</summary>
    /// <param name="json">The transform's object; options left out keep their defaults.</param>
    /// <param name="where">Starts every error message (e.g. <c>config: transforms[0]</c>).</param>
    /// <returns>Validated options of the registered type.</returns>
    /// <exception cref="FormatException">Not an object, no name, an unknown transform or option (with a did-you-mean), a
    /// value of the wrong type or out of range, or a composition without transforms.</exception>
    public TransformOptions ParseOptions(JsonElement json, string where)
    {
        if (json.ValueKind != JsonValueKind.Object)
            throw new FormatException($"{where}: a transform is a JSON object such as {{\"name\": \"rotate\", \"degrees\": 20}}, found {json.ValueKind}.");
        if (!json.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
            throw new FormatException($"{where}: the transform has no \"name\". Known: {string.Join(", ", _types.Keys.Order())}.");
        string name = nameElement.GetString()!;
        var options = Parse(name, json, where, allowName: true);
        return options;
    }

    private TransformOptions Parse(string name, JsonElement json, string where, bool allowName)
    {
        if (!_types.TryGetValue(name, out var type))
            throw new FormatException($"{where}: unknown transform '{name}'.{Suggest.DidYouMean(name, _types.Keys)} Run 'mirage transforms' for the list.");
        where = $"{where} ({name})";
        bool composite = typeof(CompositeOptions).IsAssignableFrom(type);
        var known = OptionMetadata.Names(type);
        var own = new Dictionary<string, JsonElement>();
        List<TransformOptions>? children = null;
        if (json.ValueKind == JsonValueKind.Object)
            foreach (var p in json.EnumerateObject())
            {
                if (allowName && p.Name == "name") continue;
                if (composite && p.Name == "transforms")
                {
                    if (p.Value.ValueKind != JsonValueKind.Array) throw new FormatException($"{where}: \"transforms\" must be a list of transforms.");
                    children = p.Value.EnumerateArray().Select((c, i) => ParseOptions(c, $"{where}.transforms[{i}]")).ToList();
                    continue;
                }
                if (!known.Contains(p.Name))
                {
                    var candidates = composite ? known.Append("transforms") : known;
                    throw new FormatException($"{where}: unknown option '{p.Name}'.{Suggest.DidYouMean(p.Name, candidates)} Options: {(known.Count == 0 ? "none" : string.Join(", ", known))}.");
                }
                own[p.Name] = p.Value;
            }
        TransformOptions options;
        try
        {
            options = (TransformOptions)(JsonSerializer.SerializeToElement(own).Deserialize(type, TransformJson.Options)
                                         ?? throw new FormatException($"{where}: no options."));
        }
        catch (JsonException e)
        {
            throw new FormatException($"{where}: {(e.Path is { } path ? $"option '{path.TrimStart('$', '.')}'" : "options")}: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{where}: {e.Message}", e);
        }
        if (composite)
        {
            if (children is null || children.Count == 0) throw new FormatException($"{where}: needs \"transforms\": [ ... ] with at least one transform.");
            typeof(CompositeOptions).GetProperty(nameof(CompositeOptions.Transforms))!.SetValue(options, children);
        }
        return options;
    }

    /// <summary>A single (non-composite) transform from its name and options object, for replaying recorded parameters.</summary>
    internal ITapeTransform CreateLeaf(string name, JsonElement options, string where)
    {
        var o = Parse(name, options, where, allowName: false);
        try
        {
            return o.Create() as ITapeTransform
                   ?? throw new FormatException($"{where}: '{name}' is a composition; recorded parameters hold only the transforms that applied.");
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{where}: {e.Message}", e);
        }
    }
}
