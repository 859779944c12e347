namespace Orders.Tests.GrpcInsights;

/// <summary>
/// The insights tests that start real servers, processes or a browser run one after another: on a 2-core machine
/// shared with the rest of the suite they would otherwise starve each other (and the timing-sensitive tests of others).
/// </summary>
[CollectionDefinition(Name)]
public sealed class InsightsServersDefinition
{
    public const string Name = "Insights servers";
}
