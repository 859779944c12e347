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
        // TelemetryLimits 6, Otlp 4.
        RangeBoundaries.AssertEveryRange(new InsightsOptionsValidator(), InsightsOptions.SectionName, expectedKeys: 10);
    }
}
