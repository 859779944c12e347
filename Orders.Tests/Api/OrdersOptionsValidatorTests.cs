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
        var checkedKeys = RangeBoundaries.Check(new OrdersOptionsValidator(), OrdersOptions.SectionName);

        // Http1Port, and Storage 1, Processing 1, FaultInjection 1, Validation 8, Metadata 2: a section without [ValidateObjectMembers] would drop out.
        Assert.Equal(14, checkedKeys.Count);
        var problems = checkedKeys.Where(result => result.Problem is not null).Select(result => $"{result.Key}: {result.Problem}").ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }
}
