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
        var best = known.Select(k => (k, d: Distance(given.ToLowerInvariant(), k))).OrderBy(x => x.d).FirstOrDefault();
        return best.k is not null && best.d <= Math.Max(2, given.Length / 2) ? $" Did you mean '{best.k}'?" : "";
    }

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
