using Orders.Tests.Infrastructure;
using InsightsOptions = OrdersAspire.GrpcInsights.Configuration.InsightsOptions;
using InsightsOptionsValidator = OrdersAspire.GrpcInsights.Configuration.InsightsOptionsValidator;

namespace Orders.Tests.GrpcInsights;

/// <summary>The generated validator of the insights' section, in process: every ranged limit at and one step past each end.</summary>
public sealed class InsightsOptionsValidatorTests
{
    [Fact]
    public void EveryRangedSettingAcceptsItsEndsAndRefusesOneStepPastThemNamingTheKey()
    {
        var checkedKeys = RangeBoundaries.Check(new InsightsOptionsValidator(), InsightsOptions.SectionName);

        // TelemetryLimits 6, Otlp 4: a section without [ValidateObjectMembers] would drop out.
        Assert.Equal(10, checkedKeys.Count);
        var problems = checkedKeys.Where(result => result.Problem is not null).Select(result => $"{result.Key}: {result.Problem}").ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }
}
