namespace Orders.Tests.Infrastructure;

/// <summary>
/// Tests that read telemetry the whole test process shares run alone, after the parallel ones: the scenario's step
/// spans come from one ActivitySource, and the gRPC client instrumentation's spans reach only one of the several
/// TracerProviders that in-process hosts running beside them would build.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTelemetryDefinition
{
    public const string Name = "Process-wide telemetry";
}
