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
    // C0 controls, backslash, DEL and C1 controls; the Arabic letter mark, LRM and RLM; the line and paragraph separators;
    // the bidirectional embeddings, overrides and isolates (what "Trojan Source" text hides behind).
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        [.. Range('\0', '\u001F'), '\\', .. Range('\u007F', '\u009F'), '\u061C', '\u200E', '\u200F', .. Range('\u2028', '\u202E'), .. Range('\u2066', '\u2069')]);

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
