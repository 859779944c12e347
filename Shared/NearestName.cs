namespace OrdersAspire.Shared;

/// <summary>For a misspelt name, the known one it most likely meant: a refusal that names it saves the reader a search.</summary>
internal static class NearestName
{
    /// <summary>The known name nearest to <paramref name="name"/> ignoring case, when it is near enough to be what was meant; else null.</summary>
    public static string? Of(string name, IEnumerable<string> known) =>
        known.Select(candidate => (Known: candidate, Distance: EditDistance(name.ToUpperInvariant(), candidate.ToUpperInvariant())))
            .Where(candidate => candidate.Distance <= Math.Max(2, candidate.Known.Length / 3))
            .OrderBy(candidate => candidate.Distance)
            .Select(candidate => candidate.Known)
            .FirstOrDefault();

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
