using Grpc.Core;
using Orders.Client.Commands;

namespace Orders.Client.Scenario;

/// <summary>What a step observed: the status, a short detail, and whether the detail is what the step expects too.</summary>
public sealed record StepOutcome(StatusCode Status, string Detail, bool DetailAsExpected = true)
{
    public static StepOutcome Ok(string detail, bool asExpected = true) => new(StatusCode.OK, detail, asExpected);
}

/// <summary>One step of the scenario: a call (or a short conversation) and the status it must end with.</summary>
public sealed record ScenarioStep(string Name, StatusCode Expected, Func<CommandContext, Task<StepOutcome>> Run)
{
    /// <summary>Reads a failed call's outcome; by default its status and message.</summary>
    public Func<RpcException, StepOutcome> OnError { get; init; } = ex => new StepOutcome(ex.StatusCode, ex.Status.Detail);
}
