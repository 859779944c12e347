extern alias AppHost;

using AppHost::OrdersAspire.AppHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace Orders.Tests.Distributed;

/// <summary>Where the AppHost sends telemetry, how it secures its dashboard and which order store it runs, from its command line and environment.</summary>
public sealed class AppHostOptionsTests
{
    [Fact]
    public void ByDefaultServicesExportToOurDashboardOnLoopbackUnsecured()
    {
        var options = Parse([]);

        Assert.True(options.DashboardEnabled);
        Assert.Equal(AppHostOptions.DefaultDashboardOtlpGrpcUrl, options.OtlpEndpoint);
        Assert.Null(options.OtlpApiKey);
        Assert.Null(options.BrowserToken);
        Assert.True(options.ResourceServiceUrl.IsLoopback);
    }

    [Fact]
    public void OtlpEndpointOptionSendsTelemetryElsewhere()
    {
        var options = Parse(["--otlp-endpoint", "http://collector:4317"]);

        Assert.Equal("http://collector:4317", options.OtlpEndpoint);
        Assert.True(options.DashboardEnabled);
        Assert.Null(options.ServiceOtlpApiKey);
    }

    [Fact]
    public void PresetOtlpEndpointIsHonouredAndNoDashboardSkipsOurs()
    {
        var options = Parse(["--no-dashboard"], new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://aspire-dashboard:18889" });

        Assert.False(options.DashboardEnabled);
        Assert.Equal("http://aspire-dashboard:18889", options.OtlpEndpoint);
    }

    [Fact]
    public void NoDashboardAndNoEndpointMeansNoExport()
    {
        Assert.Null(Parse(["--no-dashboard"]).OtlpEndpoint);
    }

    [Fact]
    public void DashboardKeyIsNeverSentToAnotherCollector()
    {
        var options = Parse(["--otlp-endpoint", "http://collector:4317"], new() { ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = "http://0.0.0.0:18889" });

        Assert.NotNull(options.OtlpApiKey);
        Assert.Null(options.ServiceOtlpApiKey);
    }

    [Fact]
    public void DashboardBeyondLoopbackGetsAnApiKeyAndALoginToken()
    {
        var options = Parse([], new()
        {
            ["ASPNETCORE_URLS"] = "http://0.0.0.0:18888",
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = "http://0.0.0.0:18889",
        });

        Assert.Matches("^[0-9a-f]{32}$", options.OtlpApiKey);
        Assert.Equal(options.OtlpApiKey, options.ServiceOtlpApiKey);
        Assert.Matches("^[0-9a-f]{32}$", options.BrowserToken);
        Assert.NotEqual(options.OtlpApiKey, options.BrowserToken);
    }

    [Fact]
    public void StoreIsSqliteUnlessPostgresIsAsked()
    {
        Assert.Equal(OrderStore.Sqlite, Parse([]).Store);
        Assert.Equal(OrderStore.Sqlite, Parse(["--store", "sqlite"]).Store);
        Assert.Equal(OrderStore.Postgres, Parse(["--store", "postgres"]).Store);
        Assert.Equal(OrderStore.Postgres, Parse(["--store=Postgres"]).Store);
    }

    [Theory]
    [InlineData("mysql")]
    [InlineData("postgresql")]
    [InlineData("")]
    public void AnyOtherStoreIsAUsageErrorNamingTheValue(string value)
    {
        var error = Assert.Throws<AppHostUsageException>(() => Parse(["--store", value]));

        Assert.Equal($"--store must be sqlite or postgres, not '{value}'.", error.Message);
    }

    [Fact]
    public void PostgresBinIsFoundByDefaultOrTakenAsAnAbsolutePath()
    {
        Assert.Null(Parse([]).PostgresBinDirectory);
        Assert.Equal(Path.GetFullPath("pg/bin"), Parse(["--postgres-bin", "pg/bin"]).PostgresBinDirectory);
    }

    private static AppHostOptions Parse(string[] args, Dictionary<string, string?>? environment = null) =>
        AppHostOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(environment ?? [])
            .AddCommandLine(AppHostOptions.NormalizeFlags(args))
            .Build());
}
