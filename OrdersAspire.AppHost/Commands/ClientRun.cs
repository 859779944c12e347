using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrdersAspire.AppHost.Commands;

/// <summary>
/// Runs the built Orders.Client once as a child of the AppHost, the way DCP runs the orders-client resource
/// (<c>dotnet run --no-build</c> of its project), with the environment Aspire gives that resource in run mode.
/// </summary>
internal static class ClientRun
{
    /// <summary>Long enough for a scenario pass on a loaded machine; a run past it is killed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    // DCP fills these in per replica from templates; a run of its own names its service and itself.
    private const string ServiceNameVariable = "OTEL_SERVICE_NAME";
    private const string ResourceAttributesVariable = "OTEL_RESOURCE_ATTRIBUTES";

    // The configuration the AppHost was built in, which is the one Aspire builds and runs its projects in.
    private static readonly string? BuildConfiguration = typeof(ClientRun).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;

    /// <param name="instanceId">The run's <c>service.instance.id</c>: its spans show in the dashboard as orders-client's, marked as this run's.</param>
    public static async Task<ClientRunResult> RunAsync(
        ProjectResource client, IReadOnlyList<string> arguments, string instanceId, IServiceProvider services, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var projectPath = client.GetProjectMetadata().ProjectPath;
        start.WorkingDirectory = Path.GetDirectoryName(projectPath);
        string[] dotnetRun = ["run", "--project", projectPath, "--no-build", "--no-launch-profile", .. BuildConfiguration is { } c ? ["--configuration", c] : Array.Empty<string>(), "--"];
        foreach (var argument in dotnetRun.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in await EnvironmentAsync(client, services, cancellationToken))
        {
            start.Environment[name] = value;
        }

        start.Environment[ServiceNameVariable] = client.Name;
        start.Environment[ResourceAttributesVariable] = $"service.instance.id={instanceId}";

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        // The client never waits on a console it does not have.
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Timeout);
        int? exitCode;
        try
        {
            await process.WaitForExitAsync(bounded.Token);
            exitCode = process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            exitCode = null;
        }

        return new ClientRunResult(exitCode, await stdout, await stderr, stopwatch.Elapsed);
    }

    /// <summary>orders-client's environment as Aspire evaluates it for a start in run mode: addresses, OTLP, token.</summary>
    private static async Task<IEnumerable<KeyValuePair<string, string>>> EnvironmentAsync(
        ProjectResource client, IServiceProvider services, CancellationToken cancellationToken)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(client)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(
                services.GetRequiredService<DistributedApplicationExecutionContext>(),
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClientRun).FullName!),
                cancellationToken);
        return configuration.EnvironmentVariables;
    }
}
