using OrdersAspire.Shared;

namespace Orders.Tests.Api;

/// <summary>The one escaping of request text for logs, spans and status messages: every character that breaks, hides or reorders a line.</summary>
public sealed class PrintableTextTests
{
    [Theory]
    [InlineData("a\nb", @"a\nb")]
    [InlineData("a\rb", @"a\rb")]
    [InlineData("a\tb", @"a\tb")]
    [InlineData("a\0b", @"a\u0000b")]
    [InlineData("\u001B[2J", @"\u001B[2J")]
    [InlineData("a\u007Fb", @"a\u007Fb")]
    [InlineData("a\u0085b", @"a\u0085b")]
    [InlineData("a\u009B2Jb", @"a\u009B2Jb")]
    [InlineData("a\u2028b\u2029", @"a\u2028b\u2029")]
    [InlineData("\u202Eevil\u2066\u200F", @"\u202Eevil\u2066\u200F")]
    [InlineData(@"a\nb", @"a\\nb")]
    public void EscapesWhatBreaksOrHidesALine_AndDoublesBackslash(string text, string printable) =>
        Assert.Equal(printable, PrintableText.Escape(text));

    [Fact]
    public void PrintableTextIsReturnedAsItIs()
    {
        const string text = "Order 0193b2f4-é ü 東京 🙂 not found.";

        Assert.Same(text, PrintableText.Escape(text));
        Assert.Null(PrintableText.Escape(null));
    }

    [Fact]
    public void NoCharacterThatBreaksOrHidesALineSurvives()
    {
        var everyCharacter = new string([.. Enumerable.Range(0, char.MaxValue + 1).Select(code => (char)code)]);

        var printable = PrintableText.Escape(everyCharacter);

        Assert.DoesNotContain(printable, c => char.IsControl(c) || c is '\u2028' or '\u2029' || (c is >= '\u202A' and <= '\u202E') || (c is >= '\u2066' and <= '\u2069'));
    }
}
