using OrdersAspire.Shared;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Orders.Client.Commands;
using Orders.Tests.Api.BadInput;
using Orders.Tests.GrpcInsights;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Docs;

/// <summary>
/// What the docs say the code holds, checked against the code: the bad-input tables' counts, the AppHost's app model,
/// every exit code, the folder map of docs/architecture.md, and prose that describes the present, not its history.
/// </summary>
public sealed partial class DocsAgreementTests
{
    private static string Readme => RepositoryDocs.Documents["README.md"];

    [Fact]
    public void TheBadInputCountsAreTheTables()
    {
        var counts = RepositoryDocs.TableAfter(RepositoryDocs.Documents["docs/contract.md"], "### Bad input");
        AssertCategoryCounts(BadInputTable.All.Select(c => c.Category), counts, "docs/contract.md");
        Assert.Equal($"**{BadInputTable.All.Count}**", counts.Single(row => row[0] == "**total**")[2]);
        var coverage = RepositoryDocs.Documents["docs/test-coverage.md"];
        Assert.Equal(BadInputTable.All.Count, int.Parse(BadInputCasesInTestCoverage().Match(coverage).Groups[1].Value, CultureInfo.InvariantCulture));

        var insights = RepositoryDocs.Documents["docs/grpc-insights.md"];
        const string tableLine = "`Orders.Tests/GrpcInsights/OtlpBadInputCases.cs` is the table";
        AssertCategoryCounts(OtlpBadInputCases.All.Select(c => c.Category), RepositoryDocs.TableAfter(insights, tableLine), "docs/grpc-insights.md");
        Assert.Equal(OtlpBadInputCases.All.Count, int.Parse(OtlpCases().Match(insights).Groups[1].Value, CultureInfo.InvariantCulture));
        var byTransport = OtlpByTransport().Match(insights);
        Assert.True(byTransport.Success, "docs/grpc-insights.md gives no count by transport");
        Assert.Equal(
            [Count(OtlpTransport.Grpc), Count(OtlpTransport.HttpProtobuf), Count(OtlpTransport.HttpJson)],
            byTransport.Groups.Values.Skip(1).Select(g => int.Parse(g.Value, CultureInfo.InvariantCulture)).ToArray());

        static int Count(OtlpTransport transport) => OtlpBadInputCases.All.Count(c => c.Transport == transport);
    }

    [Fact]
    public void TheAppHostSnippetIsProgramCsFromItsFirstLineToTheEnd()
    {
        var appHost = RepositoryDocs.Documents["docs/apphost.md"];
        var section = appHost[appHost.IndexOf("## The app model", StringComparison.Ordinal)..];
        var snippet = CodeLines(RepositoryDocs.FencedBlocks(section).First(block => block.Language == "csharp").Body);
        var program = CodeLines(RepositoryDocs.Read("OrdersAspire.AppHost/Program.cs"));
        var start = program.IndexOf(snippet[0]);
        Assert.True(start >= 0, $"Program.cs has no line '{snippet[0]}'.");
        Assert.Equal(program[start..], snippet);
    }

    [Fact]
    public void TheReadmeListsEveryExitCode()
    {
        var listed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var program = "";
        foreach (var row in RepositoryDocs.TableAfter(Readme, "## Exit codes"))
        {
            program = row[0].Length > 0 ? row[0] : program;
            listed.TryAdd(program, []);
            listed[program].Add(row[1]);
        }

        AssertListed(listed, "`Orders.Client`",
            [Code(ExitCodes.Success), Code(ExitCodes.Failed), Code(ExitCodes.Usage), $"{ExitCodes.RpcErrorBase} + gRPC status code", Code(ExitCodes.Interrupted)]);
        AssertListed(listed, "`Orders.Api`, `OrdersAspire.GrpcInsights`", [Code(ExitCodes.Success), Code(ExitCodes.Usage)]);
        AssertListed(listed, "`… healthcheck` (both)", [$"{ExitCodes.Success} / {ExitCodes.Failed}"]);
        AssertListed(listed, "`OrdersAspire.AppHost`", [Code(ExitCodes.Success), Code(ExitCodes.Usage)]);
        // A code added to ExitCodes is listed for some program.
        var codes = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!);
        Assert.All(codes, code => Assert.Contains(listed.Values.SelectMany(rows => rows), row => row.Split(' ', '/').Contains(Code(code))));

        static string Code(int code) => code.ToString(CultureInfo.InvariantCulture);

        static void AssertListed(Dictionary<string, HashSet<string>> listed, string program, string[] codes)
        {
            Assert.True(listed.TryGetValue(program, out var rows), $"README.md's exit codes have no rows for {program}");
            Assert.Equal(codes.Order(StringComparer.Ordinal).ToArray(), rows.Order(StringComparer.Ordinal).ToArray());
        }
    }

    [Fact]
    public void TheArchitectureLayoutMapsEveryFolder()
    {
        var layout = RepositoryDocs.FencedBlocks(RepositoryDocs.Documents["docs/architecture.md"]).First().Body.Split('\n');
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        var current = "";
        foreach (var line in layout)
        {
            if (TopLevelEntry().Match(line) is { Success: true } top)
            {
                current = top.Groups[1].Value;
                sections[current] = "";
            }

            sections[current] += line + "\n";
        }

        var folders = RepositoryDocs.Entries.Where(e => e.Count(c => c == '/') <= 1 && HoldsSource(e)).ToList();
        var missing = folders.Where(folder => folder.Split('/') switch
        {
            [var top] => !sections.ContainsKey(top),
            [var top, var sub] => !sections.TryGetValue(top, out var text) || !Regex.IsMatch(text, $@"(^|\s){Regex.Escape(sub)}/", RegexOptions.Multiline),
            _ => false,
        });
        var gone = sections.SelectMany(section => SubEntry().Matches(section.Value).Select(m => $"{section.Key}/{m.Groups[1].Value}").Prepend(section.Key))
            .Where(folder => !RepositoryDocs.Entries.Contains(folder));
        Assert.Empty(missing.Select(folder => $"{folder}/ is not in docs/architecture.md's layout"));
        Assert.Empty(gone.Select(folder => $"{folder}/ is in docs/architecture.md's layout but not in the repository"));
    }

    [Fact]
    public void DocsAndCommentsDescribeThePresent()
    {
        var sources = RepositoryDocs.Entries.Where(e => HistoryChecked().IsMatch(e) && File.Exists(Path.Combine(RepositoryPaths.Root, e)));
        var history = sources.SelectMany(path => RepositoryDocs.Read(path).Split('\n').Select((line, i) => (path, line: i + 1, text: line)))
            .Where(line => HistoryWords().IsMatch(line.text) && (line.path.EndsWith(".md", StringComparison.Ordinal) || IsComment(line.text)))
            .Select(line => $"{line.path}:{line.line}: {line.text.Trim()}");
        Assert.Empty(history);
    }

    private static void AssertCategoryCounts(IEnumerable<string> categories, IReadOnlyList<string[]> rows, string doc)
    {
        foreach (var category in categories.GroupBy(c => c))
        {
            var row = rows.SingleOrDefault(r => r[0].StartsWith(category.Key, StringComparison.Ordinal));
            Assert.True(row is not null, $"{doc} has no row for '{category.Key}'");
            var quoted = row.Skip(1).First(cell => int.TryParse(cell, CultureInfo.InvariantCulture, out _));
            Assert.True(quoted == category.Count().ToString(CultureInfo.InvariantCulture), $"{doc}: '{category.Key}' has {category.Count()} cases, the docs say {quoted}");
        }
    }

    private static List<string> CodeLines(string code) =>
        [.. code.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal))];

    /// <summary>A folder with a file the repository keeps (not only a SQLite database a run left behind).</summary>
    private static bool HoldsSource(string folder) =>
        Directory.Exists(Path.Combine(RepositoryPaths.Root, folder))
        && RepositoryDocs.Entries.Any(e => e.StartsWith(folder + "/", StringComparison.Ordinal) && !RunData().IsMatch(e) && File.Exists(Path.Combine(RepositoryPaths.Root, e)));

    private static bool IsComment(string line) =>
        line.TrimStart() is var text && (text.StartsWith("//", StringComparison.Ordinal) || text.StartsWith('#') || text.StartsWith("<!--", StringComparison.Ordinal) || text.StartsWith('*'));

    [GeneratedRegex(@"`BadInput/`, (\d+) cases")]
    private static partial Regex BadInputCasesInTestCoverage();

    [GeneratedRegex(@"is the table, (\d+) cases")]
    private static partial Regex OtlpCases();

    [GeneratedRegex(@"By transport: (\d+) over OTLP/gRPC, (\d+) OTLP/HTTP protobuf, (\d+) OTLP/HTTP JSON")]
    private static partial Regex OtlpByTransport();

    [GeneratedRegex(@"^([.\w-]+)/\s")]
    private static partial Regex TopLevelEntry();

    [GeneratedRegex(@"^  ([.\w-]+)/\s", RegexOptions.Multiline)]
    private static partial Regex SubEntry();

    [GeneratedRegex(@"\.(db|db-wal|db-shm|user)$")]
    private static partial Regex RunData();

    [GeneratedRegex(@"(\.md|\.cs|\.sh|\.py|\.props|\.csproj|\.yaml)$")]
    private static partial Regex HistoryChecked();

    /// <summary>A step of the project's history, a commit, or the issue a change came from.</summary>
    [GeneratedRegex(@"\b[Ss]tep ?[0-9]+\b|\bcommit `?[0-9a-f]{7,40}\b|`(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,12}`|\bissue's target|\btarget of the issue|\bthe issue's\b")]
    private static partial Regex HistoryWords();
}
