namespace Orders.Tests.Client;

/// <summary>
/// Tests that run the scenario inside the test process, one at a time: the scenario's step spans come from one
/// ActivitySource for the whole process, so a listener would otherwise count another test's steps as its own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessScenarioDefinition
{
    public const string Name = "Scenario in process";
}
