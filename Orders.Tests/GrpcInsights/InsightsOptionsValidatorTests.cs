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

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("dotnet run\n--project x")]
    public void AClientCommandThatIsNoOneLineOfWords_IsRefusedNamingTheSetting(string command)
    {
        var result = new InsightsOptionsValidator().Validate(null, new InsightsOptions { Reproduce = new() { ClientCommand = command } });

        Assert.True(result.Failed);
        Assert.Contains("Insights:Reproduce:ClientCommand must be one line of shell words.", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultClientCommand_IsWhatReadmeRunsFromTheRepositoryRoot()
    {
        Assert.True(new InsightsOptionsValidator().Validate(null, new InsightsOptions()).Succeeded);
        Assert.Equal("dotnet run --project Orders.Client --", new InsightsOptions().Reproduce.ClientCommand);
    }
}
