namespace Mirage.Data;

/// <summary>
/// Orders strings by Unicode code point, as Python's sorted() does (Keras sorts class folders, walked folders and
/// file names that way). <see cref="StringComparer.Ordinal"/> compares UTF-16 code units instead, which puts a
/// character outside the BMP (a surrogate pair, D800–DFFF, e.g. 😀) before U+E000–U+FFFF (e.g. Ａ); here it comes after.
/// </summary>
public sealed class CodePointComparer : IComparer<string>
{
    /// <summary>The one instance (stateless and thread-safe).</summary>
    public static CodePointComparer Instance { get; } = new();

    private CodePointComparer() { }

    /// <summary>Compares by Unicode code point, as Python compares str; null sorts first.</summary>
    /// <param name="x">A string, or null.</param>
    /// <param name="y">A string, or null.</param>
    /// <returns>Negative when <paramref name="x"/> sorts first, 0 when equal, positive otherwise.</returns>
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int n = Math.Min(x.Length, y.Length);
        for (int i = 0; i < n; i++)
        {
            char a = x[i], b = y[i];
            if (a != b) return Rank(a) - Rank(b);
        }
        return x.Length - y.Length;
    }

    /// <summary>A code unit's rank in code-point order: surrogates (which start code points ≥ U+10000) move above U+FFFF.
    /// Within a pair the high surrogates decide, and they order as their code points do.</summary>
    private static int Rank(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
