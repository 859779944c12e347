using System.Text.RegularExpressions;

namespace OrdersAspire.AppHost.Commands;

/// <summary>What one run of Orders.Client ended with; <see cref="ExitCode"/> is null when it was stopped.</summary>
internal sealed partial record ClientRunResult(int? ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>The client's one-line outcome: its ERROR line when a call failed, else the last line it printed.</summary>
    public string Outcome =>
        Lines(StandardError).FirstOrDefault(line => line.StartsWith("ERROR: ", StringComparison.Ordinal))
        ?? Lines(StandardOutput).LastOrDefault()
        ?? Lines(StandardError).LastOrDefault()
        ?? "(no output)";

    /// <summary>The scenario's result lines of the steps that missed their expected status.</summary>
    public IEnumerable<string> FailedSteps => Lines(StandardOutput).Where(line => FailedStep().IsMatch(line));

    /// <summary>Everything it printed, stdout then stderr, as it printed it (the scenario's summary is a table).</summary>
    public string Output => string.Join(Environment.NewLine, new[] { StandardOutput.TrimEnd(), StandardError.TrimEnd() }.Where(text => text.Length > 0));

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    // How the client prints a step that missed: "[ 8] FAIL  get 101 after delete: expected NOT_FOUND, got OK in 3.1 ms".
    [GeneratedRegex(@"^\[\s*\d+\] FAIL ")]
    private static partial Regex FailedStep();
}
