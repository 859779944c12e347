using System.Text.RegularExpressions;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Docs;

/// <summary>
/// README.md and docs/*.md name only what exists: repository paths, the headings their links name, projects,
/// configuration keys, types and their members, test classes and methods. Each check lists every stale name with its document, so one run shows them all.
/// </summary>
public sealed partial class DocsTruthTests
{
    /// <summary>Keys the docs quote that belong to the Aspire dashboard itself, not to a project here.</summary>
    private static readonly HashSet<string> AspireDashboardKeys = new(["Dashboard:Api:PrimaryApiKey"], StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void QuotedRepositoryPathsExist()
    {
        var stale = new List<string>();
        foreach (var (doc, text) in RepositoryDocs.Documents)
        {
            var fencedWords = RepositoryDocs.FencedBlocks(text).SelectMany(block => block.Body.Split('\n').Select(WithoutShellComment));
            foreach (var word in RepositoryDocs.CodeSpans(text).Concat(fencedWords).SelectMany(Words))
            {
                if (LineNumber().IsMatch(word))
                {
                    stale.Add($"{doc}: `{word}` quotes a line number, which moves with every edit; name the member instead");
                }
                else if (IsRootPath(word) && !RepositoryDocs.Entries.Contains(Unslashed(word)))
                {
                    stale.Add($"{doc}: `{word}` does not exist");
                }
            }

            foreach (var span in RepositoryDocs.CodeSpans(text).Where(IsRelativePath))
            {
                var path = Unslashed(span);
                if (!RepositoryDocs.Entries.Any(entry => entry == path || entry.EndsWith("/" + path, StringComparison.Ordinal)))
                {
                    stale.Add($"{doc}: `{span}` is in no folder of the repository");
                }
            }

            foreach (var link in RepositoryDocs.RelativeLinks(text))
            {
                var target = LinkTarget(doc, link);
                if (!RepositoryDocs.Entries.Contains(Unslashed(target)))
                {
                    stale.Add($"{doc}: link ({link}) leads nowhere");
                }
            }
        }

        Assert.True(stale.Count == 0, string.Join('\n', stale));
    }

    [Fact]
    public void LinkedHeadingsExist()
    {
        var stale = new List<string>();
        var checkedLinks = 0;
        foreach (var (doc, text) in RepositoryDocs.Documents)
        {
            foreach (var (file, anchor) in RepositoryDocs.AnchoredLinks(text))
            {
                var target = file.Length == 0 ? doc : LinkTarget(doc, file);
                if (RepositoryDocs.Documents.TryGetValue(target, out var targetText))
                {
                    checkedLinks++;
                    if (!RepositoryDocs.HeadingAnchors(targetText).Contains(anchor))
                    {
                        stale.Add($"{doc}: link ({file}#{anchor}) names no heading of {target}");
                    }
                }
            }
        }

        Assert.True(checkedLinks > 0, "No link of README.md or docs/*.md names a heading: the check read nothing.");
        Assert.True(stale.Count == 0, string.Join('\n', stale));
    }

    [Fact]
    public void QuotedProjectsTypesMembersAndTestsExist()
    {
        var stale = new List<string>();
        foreach (var (doc, text) in RepositoryDocs.Documents)
        {
            foreach (var span in RepositoryDocs.CodeSpans(text))
            {
                if (ProjectName().IsMatch(span))
                {
                    if (!CodeModel.IsProject(span) && !CodeModel.DottedNames.Any(name => name == span || name.StartsWith(span + ".", StringComparison.Ordinal)))
                    {
                        stale.Add($"{doc}: `{span}` is no project, namespace, type or name the code defines");
                    }
                }
                else if (TestMethodName().IsMatch(span))
                {
                    if (!CodeModel.TestClasses.Any(t => CodeModel.HasMember(t, span)))
                    {
                        stale.Add($"{doc}: `{span}` is no test method");
                    }
                }
                else if (TypeAndMember().Match(span) is { Success: true } named)
                {
                    var types = CodeModel.Types.Where(t => t.Name == named.Groups["type"].Value).ToList();
                    var member = named.Groups["member"];
                    if (types.Count == 0 && named.Groups["type"].Value.EndsWith("Tests", StringComparison.Ordinal))
                    {
                        stale.Add($"{doc}: `{span}`: no test class {named.Groups["type"].Value}");
                    }
                    else if (types.Count > 0 && member.Success && !types.Any(t => CodeModel.HasMember(t, member.Value)))
                    {
                        stale.Add($"{doc}: `{span}`: {named.Groups["type"].Value} has no member {member.Value}");
                    }
                }
            }
        }

        Assert.True(stale.Count == 0, string.Join('\n', stale));
    }

    [Fact]
    public void QuotedSettingKeysAreReadByAnApp()
    {
        var stale = new List<string>();
        foreach (var (doc, text) in RepositoryDocs.Documents)
        {
            foreach (var span in RepositoryDocs.CodeSpans(text).Where(span => SettingKey().IsMatch(span)))
            {
                var key = span.Replace("__", ":", StringComparison.Ordinal);
                var known = CodeModel.SettingKeys.Contains(key)
                    || CodeModel.SettingKeys.Any(k => k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase))
                    || CodeModel.KestrelLoaderSections.Any(section => key == section || key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase))
                    || AspireDashboardKeys.Contains(key);
                if (!known)
                {
                    stale.Add($"{doc}: `{span}` is in no options class, key constant or appsettings.json");
                }
            }
        }

        Assert.True(stale.Count == 0, string.Join('\n', stale));
    }

    /// <summary>A relative link of <paramref name="doc"/> as a path from the repository root.</summary>
    private static string LinkTarget(string doc, string link) =>
        Path.GetRelativePath(RepositoryPaths.Root, Path.GetFullPath(Path.Combine(RepositoryPaths.Root, Path.GetDirectoryName(doc)!, link))).Replace('\\', '/');

    private static string WithoutShellComment(string line) => ShellComment().Replace(line, "");

    /// <summary>The whitespace-separated words of a span or line, without the punctuation prose puts around them.</summary>
    private static IEnumerable<string> Words(string text) =>
        text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(word => word.TrimStart('(', '[', '"', '\'').TrimEnd(',', ';', ')', ']', '.', ':', '"', '\''));

    /// <summary>A path from the root: its first folder is one of the root's, and it is no placeholder or build output.</summary>
    private static bool IsRootPath(string word)
    {
        var slash = word.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && !IsPlaceholderOrOutput(word) && RepositoryDocs.Entries.Contains(word[..slash]) && !word.Contains("://", StringComparison.Ordinal);
    }

    /// <summary>A one-word span that names a file by its extension or a folder by its trailing '/': <c>Storage/SqlOrderStore.cs</c>, <c>Services/</c>.</summary>
    private static bool IsRelativePath(string span) =>
        !span.StartsWith('/') && !span.StartsWith('~') && !IsPlaceholderOrOutput(span) && !IsRootPath(span)
        && (RelativeFile().IsMatch(span) || RelativeFolder().IsMatch(span));

    private static bool IsPlaceholderOrOutput(string word) =>
        word.IndexOfAny(['<', '*', '…', '{', '$', '|', '=']) >= 0 || word.Contains("/bin/", StringComparison.Ordinal) || word.Contains("/obj/", StringComparison.Ordinal);

    private static string Unslashed(string path) => path.StartsWith("./", StringComparison.Ordinal) ? path[2..].TrimEnd('/') : path.TrimEnd('/');

    [GeneratedRegex(@"\.(cs|sh|py|razor|json|yaml|md|props|proto):[0-9]")]
    private static partial Regex LineNumber();

    [GeneratedRegex(@"^(\./)?[\w.-]+(/[\w.-]+)*\.(cs|md|sh|py|json|yaml|yml|props|proto|png|razor|csproj|sln|mjs|conf|Containerfile)$")]
    private static partial Regex RelativeFile();

    [GeneratedRegex(@"^[A-Za-z][\w.-]*(/[\w.-]+)*/$")]
    private static partial Regex RelativeFolder();

    [GeneratedRegex(@"\s#\s.*$")]
    private static partial Regex ShellComment();

    [GeneratedRegex(@"^(Orders|OrdersAspire)(\.[A-Z][A-Za-z]*)+$")]
    private static partial Regex ProjectName();

    [GeneratedRegex(@"^(?<type>[A-Z]\w*)(\.(?<member>[A-Z]\w*…?)(\(\))?)?$")]
    private static partial Regex TypeAndMember();

    /// <summary>A test method's name as the tests write them: words joined by single underscores.</summary>
    [GeneratedRegex(@"^[A-Z][a-z0-9][A-Za-z0-9]*(_[A-Z][A-Za-z0-9]*)+…?$")]
    private static partial Regex TestMethodName();

    [GeneratedRegex(@"^(Orders|Dashboard|Insights|AppHost|Kestrel)((:|__)[A-Za-z0-9]+)+$")]
    private static partial Regex SettingKey();
}
