using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Orders.Tests.ServiceDefaults;

/// <summary>The settings pattern every app uses: bound from its section, checked by its validator, refused before anything serves.</summary>
public sealed class ValidatedOptionsTests
{
    private const string Section = "Test";

    [Fact]
    public void WhileBuilding_AnAcceptedValueIsReturnedAndServed()
    {
        var builder = Builder(("Test:Count", "3"));

        Assert.Equal(3, builder.AddValidatedOptions<Limits, LimitsValidator>(Section).Count);
        using var host = builder.Build();
        Assert.Equal(3, host.Services.GetRequiredService<IOptions<Limits>>().Value.Count);
    }

    [Fact]
    public void WhileBuilding_NoSectionIsTheDefaults() =>
        Assert.Equal(new Limits().Count, Builder().AddValidatedOptions<Limits, LimitsValidator>(Section).Count);

    [Fact]
    public void WhileBuilding_ARefusedValueThrowsBeforeTheAppIsBuilt()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Builder(("Test:Count", "0")).AddValidatedOptions<Limits, LimitsValidator>(Section));

        Assert.Equal(["Test:Count must be positive, not 0."], BadSettings.Describe(refused));
    }

    [Fact]
    public async Task ARefusedValueStopsTheStart_ReportedOnceHoweverOftenTheOptionsAreAdded()
    {
        var builder = Builder(("Test:Count", "-1"));
        builder.Services.AddValidatedOptions<Limits, LimitsValidator>(Section);
        builder.Services.AddValidatedOptions<Limits, LimitsValidator>(Section);
        using var host = builder.Build();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(["Test:Count must be positive, not -1."], BadSettings.Describe(refused));
    }

    private static HostApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(setting => KeyValuePair.Create<string, string?>(setting.Key, setting.Value)));
        return builder;
    }

    private sealed class Limits
    {
        public int Count { get; set; } = 1;
    }

    private sealed class LimitsValidator : IValidateOptions<Limits>
    {
        public ValidateOptionsResult Validate(string? name, Limits options) =>
            options.Count > 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail($"Test:Count must be positive, not {options.Count}.");
    }
}
