using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orders.Tests.Infrastructure;
using OrdersAspire.Shared;

namespace Orders.Tests.ServiceDefaults;

/// <summary>
/// How an app's run ends when its operator must fix something: one line on stderr naming it and exit code 2, never the
/// host's own error with a stack trace; every other failure still surfaces, and a started app's errors are logged.
/// </summary>
[Collection(ConsoleOutputDefinition.Name)]
public sealed class StartFailuresTests
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    [Fact]
    public async Task ASettingRefusedWhileBuilding_IsOneLinePerRefusal_Exit2()
    {
        using var console = new ConsoleOutput();

        var exit = await StartFailures.RunAsync("test-app", "--urls", () => throw new AggregateException(
            new BadSettingException("Test:A contradicts Test:B."), new BadSettingException("Test:C is not set.")));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(["test-app: Test:A contradicts Test:B.", "test-app: Test:C is not set."], Lines(console.Error));
        Assert.Empty(console.Out);
    }

    [Fact]
    public async Task ASettingRefusedAtStart_IsOneLine_AndTheHostLogsNoErrorOfItsOwn()
    {
        FakeLogCollector? logs = null;
        using var console = new ConsoleOutput();

        var exit = await StartFailures.RunAsync("test-app", "--urls", () =>
        {
            var builder = LoopbackApp();
            builder.Services.AddOptions<Limits>().Validate(_ => false, "Test:Count must be positive.").ValidateOnStart();
            var app = builder.Build();
            logs = app.Services.GetFakeLogCollector();
            return app;
        });

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(["test-app: Test:Count must be positive."], Lines(console.Error));
        Assert.DoesNotContain(logs!.GetSnapshot(), record => record.Category == HostCategory && record.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task ATakenAddress_IsOneLineSayingHowToChooseAnother_Exit2()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        using var console = new ConsoleOutput();

        var exit = await StartFailures.RunAsync("test-app", "--urls http://127.0.0.1:PORT", () =>
        {
            var builder = LoopbackApp();
            builder.WebHost.UseUrls(address);
            return builder.Build();
        });

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal(
            [$"test-app: Failed to bind to address {address}: address already in use (another test-app, or the AppHost, may be running); choose a free address with --urls http://127.0.0.1:PORT."],
            Lines(console.Error));
    }

    [Fact]
    public async Task AnyOtherFailure_IsNotSwallowed()
    {
        using var console = new ConsoleOutput();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            StartFailures.RunAsync("test-app", "--urls", () => throw new InvalidOperationException("The build broke.")));

        Assert.Equal("The build broke.", error.Message);
        Assert.Empty(console.Error);
    }

    [Fact]
    public async Task AStartedAppRunsUntilStopped_Exit0_AndTheHostsErrorsAreLoggedOnceStarted()
    {
        FakeLogCollector? logs = null;
        using var console = new ConsoleOutput();

        var exit = await StartFailures.RunAsync("test-app", "--urls", () =>
        {
            var builder = LoopbackApp();
            // A service that fails once the app runs: the host logs it as an error and stops the app.
            builder.Services.AddHostedService<FailsAfterStart>();
            var app = builder.Build();
            logs = app.Services.GetFakeLogCollector();
            return app;
        });

        Assert.Equal(0, exit);
        Assert.Empty(console.Error);
        Assert.Contains(logs!.GetSnapshot(), record => record.Category == HostCategory && record.Level == LogLevel.Error);
    }

    /// <summary>An app on a free loopback port that reports its start failures, its log kept in memory.</summary>
    private static WebApplicationBuilder LoopbackApp()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddFakeLogging();
        builder.ReportStartFailures();
        return builder;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private sealed class Limits
    {
        public int Count { get; set; }
    }

    private sealed class FailsAfterStart : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(100, stoppingToken);
            throw new InvalidOperationException("The service failed while running.");
        }
    }
}
