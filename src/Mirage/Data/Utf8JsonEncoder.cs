using System.Text.Encodings.Web;

namespace Mirage.Data;

/// <summary>
/// Escapes only what JSON requires (quote, backslash, control characters), so file names keep every other character
/// as UTF-8 — including those outside the BMP (😀), which even <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>
/// writes as \uD83D\uDE00. For files Mirage writes (manifests, reports), never for HTML.
/// </summary>
internal sealed class Utf8JsonEncoder : JavaScriptEncoder
{
    public static Utf8JsonEncoder Instance { get; } = new();

    private Utf8JsonEncoder() { }

    public override int MaxOutputCharactersPerInputCharacter => 6; // \uXXXX

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (int i = 0; i < textLength; i++)
        {
            char c = text[i];
            if (c is < (char)0x20 or '"' or '\\') return i;
            if (char.IsHighSurrogate(c) && i + 1 < textLength && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(c)) return i; // a lone surrogate: let the writer reject or escape it
        }
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        numberOfCharactersWritten = 0;
        if (!WillEncode(unicodeScalar))
        {
            var rune = new System.Text.Rune(unicodeScalar);
            if (bufferLength < rune.Utf16SequenceLength) return false;
            numberOfCharactersWritten = rune.EncodeToUtf16(new Span<char>(buffer, bufferLength));
            return true;
        }
        if (bufferLength < 6) return false;
        string escaped = $"\\u{unicodeScalar:X4}";
        for (int i = 0; i < 6; i++) buffer[i] = escaped[i];
        numberOfCharactersWritten = 6;
        return true;
    }
}
