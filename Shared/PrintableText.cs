using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace OrdersAspire.Shared;

/// <summary>
/// Text from a request made safe to print on one line (a log line, a span, a status message): control characters and
/// the characters that break or reorder a displayed line become escapes, so an id cannot forge a log line or move a
/// terminal's cursor. LF, CR and TAB read <c>\n</c>, <c>\r</c>, <c>\t</c>, the rest <c>\uXXXX</c> (ESC is
/// <c>\u001B</c>), and a backslash is doubled, so an escape always stands for the character it names.
/// </summary>
internal static class PrintableText
{
    // C0 controls, DEL and C1 controls; the Arabic letter mark, LRM and RLM; the line and paragraph separators; the
    // bidirectional embeddings, overrides and isolates (what "Trojan Source" text hides behind).
    private static readonly char[] Unprintable =
        [.. Range('\0', '\u001F'), .. Range('\u007F', '\u009F'), '\u061C', '\u200E', '\u200F', .. Range('\u2028', '\u202E'), .. Range('\u2066', '\u2069')];

    // And the backslash, doubled so that an escape always stands for the character it names.
    private static readonly SearchValues<char> Escaped = SearchValues.Create([.. Unprintable, '\\']);

    // Inside JSON text these can only stand in strings, where \uXXXX means them; JSON's own backslashes stay.
    private static readonly SearchValues<char> EscapedInJson = SearchValues.Create(Unprintable);

    /// <summary>
    /// JSON text made printable the same way and still the same JSON: every character <see cref="Escape"/> would escape
    /// becomes a <c>\uXXXX</c> escape, which a JSON parser reads back as that character; its backslashes stay as they are.
    /// </summary>
    public static string EscapeJson(string json)
    {
        var first = json.AsSpan().IndexOfAny(EscapedInJson);
        if (first < 0)
        {
            return json;
        }

        var escaped = new StringBuilder(json.Length + 16).Append(json, 0, first);
        foreach (var character in json.AsSpan(first))
        {
            _ = EscapedInJson.Contains(character)
                ? escaped.Append(CultureInfo.InvariantCulture, $@"\u{(int)character:X4}")
                : escaped.Append(character);
        }

        return escaped.ToString();
    }

    /// <summary><paramref name="value"/> itself when nothing in it needs escaping (no allocation), else its escaped copy.</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Escape(string? value)
    {
        var first = value.AsSpan().IndexOfAny(Escaped);
        if (first < 0)
        {
            return value;
        }

        var escaped = new StringBuilder(value!.Length + 16).Append(value, 0, first);
        foreach (var character in value.AsSpan(first))
        {
            _ = character switch
            {
                '\n' => escaped.Append(@"\n"),
                '\r' => escaped.Append(@"\r"),
                '\t' => escaped.Append(@"\t"),
                '\\' => escaped.Append(@"\\"),
                _ when Escaped.Contains(character) => escaped.Append(CultureInfo.InvariantCulture, $@"\u{(int)character:X4}"),
                _ => escaped.Append(character),
            };
        }

        return escaped.ToString();
    }

    private static IEnumerable<char> Range(char first, char last) =>
        Enumerable.Range(first, last - first + 1).Select(code => (char)code);
}
