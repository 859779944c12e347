using System.Text.RegularExpressions;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Docs;

/// <summary>README.md and docs/*.md as text, split the way the checks read them, and the repository's files and folders.</summary>
internal static partial class RepositoryDocs
{
    /// <summary>Folders that hold build output, installed packages or run data: what the docs name must be in the source.</summary>
    private static readonly HashSet<string> GeneratedFolders = ["bin", "obj", "node_modules", "TestResults", "artifacts", "__pycache__", ".git", ".vs"];

    /// <summary>Each document by its path from the repository root, with '/' separators.</summary>
    public static IReadOnlyDictionary<string, string> Documents { get; } = ReadDocuments();

    /// <summary>Every source file and folder, relative to the root with '/' separators (folders end without '/').</summary>
    public static IReadOnlySet<string> Entries { get; } = ListEntries();

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, relativePath));

    /// <summary>The inline code spans (`…`) outside fenced blocks.</summary>
    public static IEnumerable<string> CodeSpans(string markdown) =>
        InlineCode().Matches(FencedBlock().Replace(markdown, "")).Select(m => m.Groups[1].Value.Trim());

    /// <summary>The bodies of the fenced blocks (```…```), with the language named after the opening fence.</summary>
    public static IEnumerable<(string Language, string Body)> FencedBlocks(string markdown) =>
        FencedBlock().Matches(markdown).Select(m => (m.Groups[1].Value, m.Groups[2].Value));

    /// <summary>The targets of the relative links ([text](target)), without their #anchor.</summary>
    public static IEnumerable<string> RelativeLinks(string markdown) =>
        Link().Matches(markdown).Select(m => m.Groups[1].Value)
            .Where(target => !target.Contains("://", StringComparison.Ordinal) && !target.StartsWith('#'))
            .Select(target => target.Split('#')[0]);

    /// <summary>The relative links that name a heading ([text](target#anchor), [text](#anchor)): the target without its anchor ("" for the document itself), and the anchor.</summary>
    public static IEnumerable<(string Target, string Anchor)> AnchoredLinks(string markdown) =>
        Link().Matches(FencedBlock().Replace(markdown, "")).Select(m => m.Groups[1].Value)
            .Where(target => !target.Contains("://", StringComparison.Ordinal) && target.Contains('#', StringComparison.Ordinal))
            .Select(target => (target[..target.IndexOf('#', StringComparison.Ordinal)], target[(target.IndexOf('#', StringComparison.Ordinal) + 1)..]));

    /// <summary>
    /// The anchors GitHub gives the headings outside fenced blocks: the heading's text without code marks and link
    /// targets, lower case, every character but letters, digits, '_', '-' and spaces dropped, spaces as '-'; a repeated
    /// anchor gets -1, -2, ….
    /// </summary>
    public static IReadOnlySet<string> HeadingAnchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(FencedBlock().Replace(markdown, "")))
        {
            var text = LinkWithText().Replace(heading.Groups[1].Value.Trim().Replace("`", "", StringComparison.Ordinal), "$1");
            var anchor = NotInAnchor().Replace(text.ToLowerInvariant(), "").Replace(' ', '-');
            var unique = anchor;
            for (var repeat = 1; !anchors.Add(unique); repeat++)
            {
                unique = $"{anchor}-{repeat}";
            }
        }

        return anchors;
    }

    /// <summary>The body rows of the first table after the line starting with <paramref name="lineStart"/>, cells trimmed.</summary>
    public static IReadOnlyList<string[]> TableAfter(string markdown, string lineStart)
    {
        var lines = markdown.Split('\n');
        var start = Array.FindIndex(lines, line => line.StartsWith(lineStart, StringComparison.Ordinal));
        Assert.True(start >= 0, $"No line starting '{lineStart}'.");
        return [.. lines.Skip(start + 1).SkipWhile(line => !line.StartsWith('|')).TakeWhile(line => line.StartsWith('|'))
            .Select(line => line.Trim().Trim('|').Split('|').Select(cell => cell.Trim()).ToArray())
            .Skip(2)];
    }

    private static Dictionary<string, string> ReadDocuments()
    {
        var docs = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md").Select(path => "docs/" + Path.GetFileName(path));
        return docs.Order(StringComparer.Ordinal).Prepend("README.md").ToDictionary(path => path, Read);
    }

    private static HashSet<string> ListEntries()
    {
        var entries = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([RepositoryPaths.Root]);
        while (pending.TryPop(out var folder))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
            {
                var name = Path.GetFileName(entry);
                if (Directory.Exists(entry))
                {
                    if (!GeneratedFolders.Contains(name))
                    {
                        entries.Add(Relative(entry));
                        pending.Push(entry);
                    }
                }
                else
                {
                    entries.Add(Relative(entry));
                }
            }
        }

        return entries;
    }

    private static string Relative(string path) => Path.GetRelativePath(RepositoryPaths.Root, path).Replace('\\', '/');

    [GeneratedRegex(@"^```(\w*)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkWithText();

    [GeneratedRegex(@"^#{1,6} (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\w\- ]")]
    private static partial Regex NotInAnchor();
}
