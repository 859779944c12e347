using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orders.Client.Interceptors;

namespace Orders.Tests.Client;

/// <summary>The generated validator of Orders:Client, in process: the default deadline at and one step past each end.</summary>
public sealed class ClientCallOptionsValidatorTests
{
    [Theory]
    [InlineData("1ms", null)]
    [InlineData("24h", null)]
    [InlineData("0ms", "Orders:Client:DefaultDeadline: '0ms' must be longer than zero.")]
    [InlineData("1441m", "Orders:Client:DefaultDeadline: '1441m' must be at most a day (24h).")]
    [InlineData("10", "Orders:Client:DefaultDeadline: '10' is not a duration (use e.g. 250ms, 5s, 1m, 1h).")]
    public void TheDefaultDeadlineIsADurationFromAboveZeroToADay(string value, string? refusal)
    {
        var result = new ClientCallOptionsValidator().Validate(Options.DefaultName, new ClientCallOptions { DefaultDeadline = value });

        Assert.Equal(refusal is null ? [] : [refusal],
            result.Succeeded ? [] : BadSettings.Describe(new OptionsValidationException(Options.DefaultName, typeof(ClientCallOptions), result.Failures)));
    }

    [Fact]
    public void ADefaultDeadlineReadWithoutTheValidator_SaysWhichSettingIsWrongAndWhy()
    {
        var error = Assert.Throws<FormatException>(() => new ClientCallOptions { DefaultDeadline = "soon" }.DefaultDeadlineSpan);

        Assert.Equal("Orders:Client:DefaultDeadline: 'soon' is not a duration (use e.g. 250ms, 5s, 1m, 1h).", error.Message);
    }
}
