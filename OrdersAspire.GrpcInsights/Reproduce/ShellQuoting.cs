using System.Buffers;

namespace OrdersAspire.GrpcInsights.Reproduce;

/// <summary>POSIX shell quoting: a word any POSIX shell reads back as exactly the given text, whatever it holds.</summary>
public static class ShellQuoting
{
    // Characters no POSIX shell treats specially anywhere in a word; anything else means quotes.
    private static readonly SearchValues<char> Plain =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=:,./@%");

    /// <summary>The text as it is when it is plain, else in single quotes, where nothing is special but the quote itself ('\'' ends, escapes and reopens).</summary>
    public static string Quote(string text) =>
        text.Length > 0 && !text.AsSpan().ContainsAnyExcept(Plain) ? text : $"'{text.Replace("'", @"'\''", StringComparison.Ordinal)}'";

    /// <summary>The words quoted and joined by spaces.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));
}
