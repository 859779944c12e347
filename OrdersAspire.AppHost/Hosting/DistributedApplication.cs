using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrdersAspire.AppHost.Hosting.Orchestration;

namespace OrdersAspire.AppHost.Hosting;

/// <summary>The running AppHost: the resource orchestrator plus the resource service the dashboard watches.</summary>
public sealed class DistributedApplication(WebApplication host) : IAsyncDisposable
{
    /// <summary>The builder for this command line; a usage error (e.g. --store mysql) ends the process with exit code 2.</summary>
    public static DistributedApplicationBuilder CreateBuilder(string[] args)
    {
        try
        {
            return new(args);
        }
        catch (AppHostUsageException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Environment.Exit(AppHostUsageException.ExitCode);
            throw; // Environment.Exit never returns; the compiler cannot know.
        }
    }

    public IServiceProvider Services => host.Services;

    /// <summary>Runs until Ctrl+C / SIGTERM, then stops every resource (dependents first) and returns.</summary>
    public void Run() => RunAsync().GetAwaiter().GetResult();

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        host.Lifetime.ApplicationStarted.Register(PrintBanner);
        await host.RunAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private void PrintBanner()
    {
        var options = host.Services.GetRequiredService<AppHostOptions>();
        if (options.DashboardEnabled)
        {
            var url = options.DashboardUrls.Split(';')[0].TrimEnd('/');
            Console.Out.WriteLine($"Dashboard: {(options.BrowserToken is { } token ? $"{url}/login?t={token}" : url)}");
        }

        Console.Out.WriteLine($"Telemetry: {options.OtlpEndpoint ?? "not exported (no dashboard, no --otlp-endpoint)"}");
        Console.Out.WriteLine($"Resource service: {options.ResourceServiceUrl}");
        Console.Out.WriteLine($"Data: {options.DataDirectory}");
        if (!ProcessLauncher.GuardsAgainstOrphans)
        {
            Console.Out.WriteLine("Warning: setpriv/setsid not found; child processes may outlive a killed AppHost.");
        }
    }
}
