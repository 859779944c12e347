using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orders.Api.Options;

namespace Orders.Tests.ServiceDefaults;

/// <summary>A key in an options section that nothing reads is refused, naming it and the setting it most likely meant.</summary>
public sealed class KnownSettingsTests
{
    [Theory]
    [InlineData("Orders:Procesing:BatchSize", "Orders:Procesing is not a setting; did you mean Orders:Processing?")]
    [InlineData("Orders:Processing:BatchSzie", "Orders:Processing:BatchSzie is not a setting; did you mean Orders:Processing:BatchSize?")]
    [InlineData("orders:faultinjection:enable", "orders:faultinjection:enable is not a setting; did you mean orders:faultinjection:Enabled?")]
    [InlineData("Orders:Colour", "Orders:Colour is not a setting; Orders has SeedSampleData, Http1Port, Authentication, Storage, Processing, FaultInjection, Validation, Metadata, Telemetry.")]
    public void AKeyNoPropertyReadsIsNamedWithTheClosestSetting(string key, string message) =>
        Assert.Equal(message, KnownSettings.FirstUnknown(Section(key, "1"), typeof(OrdersOptions)));

    [Theory]
    [InlineData("Orders:Processing:BatchSize")]
    [InlineData("ORDERS:STORAGE:PROVIDER")]
    [InlineData("Orders:Telemetry:CaptureMessages")]
    public void EveryKeyAPropertyReadsIsAccepted(string key) =>
        Assert.Null(KnownSettings.FirstUnknown(Section(key, "1"), typeof(OrdersOptions)));

    private static IConfigurationSection Section(string key, string value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build().GetSection(key.Split(':')[0]);
}
