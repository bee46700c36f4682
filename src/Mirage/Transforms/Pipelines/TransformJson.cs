using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mirage.Transforms.Pipelines;

/// <summary>The JSON conventions of options and parameters: snake_case names and enum values, comments and trailing commas allowed.</summary>
internal static class TransformJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
}

/// <summary>"Did you mean" for misspelt names: the closest known name by edit distance, if it is close.</summary>
internal static class Suggest
{
    public static string DidYouMean(string given, IEnumerable<string> known)
    {
        var best = known.Select(k => (k, d: EditDistance.Levenshtein(given.ToLowerInvariant(), k))).OrderBy(x => x.d).FirstOrDefault();
        return best.k is not null && best.d <= Math.Max(2, given.Length / 2) ? $" Did you mean '{best.k}'?" : "";
    }
}
