namespace Orders.Client.Scenario;

public sealed record ScenarioStepResult(int Number, string Name, string Expected, string Actual, bool Passed, TimeSpan Elapsed, string? Detail);

public sealed record ScenarioRunResult(int Iteration, IReadOnlyList<ScenarioStepResult> Steps, TimeSpan Elapsed)
{
    public bool Passed => Steps.All(s => s.Passed);
}
