using Orders.Tests.Infrastructure;
using OrdersOptions = Orders.Api.Options.OrdersOptions;
using OrdersOptionsValidator = Orders.Api.Options.OrdersOptionsValidator;

namespace Orders.Tests.Api;

/// <summary>The generated validator of the Orders section, in process: every ranged setting at and one step past each end.</summary>
public sealed class OrdersOptionsValidatorTests
{
    [Fact]
    public void EveryRangedSettingAcceptsItsEndsAndRefusesOneStepPastThemNamingTheKey()
    {
        // Http1Port, and Storage 2, Processing 1, FaultInjection 1, Validation 8, Metadata 2, Telemetry 2.
        RangeBoundaries.AssertEveryRange(new OrdersOptionsValidator(), OrdersOptions.SectionName, expectedKeys: 17);
    }
}
