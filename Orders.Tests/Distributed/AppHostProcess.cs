using System.Diagnostics;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Distributed;

/// <summary>A process this AppHost run started (directly or through DCP), named by its Aspire resource or its executable.</summary>
public sealed record RunProcess(int Pid, string Name, string CommandLine);

/// <summary>
/// The built AppHost run as an operator runs it, <c>dotnet OrdersAspire.AppHost.dll</c>, on free loopback dashboard ports.
/// Every process of the run inherits a marker variable, which is how <see cref="Processes"/> finds them all.
/// </summary>
public sealed class AppHostProcess : IDisposable
{
    private const string MarkerVariable = "ORDERS_TEST_RUN";
    private const string ServiceNameVariable = "OTEL_SERVICE_NAME=";

    /// <summary>The AppHost's fixed addresses (its appsettings.json): the dashboard, its OTLP endpoints, the resource service.</summary>
    public static readonly string[] DashboardAddressKeys =
        ["ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"];

    private readonly string marker;
    private readonly ServerProcess process;

    private AppHostProcess(ServerProcess process, string marker)
    {
        this.process = process;
        this.marker = marker;
    }

    public int ExitCode => process.ExitCode;

    public string Stdout => process.Stdout;

    public string Stderr => process.Stderr;

    /// <summary>Starts the AppHost; a dashboard address given in <paramref name="args"/> (<c>--KEY=url</c>) replaces its free port.</summary>
    public static AppHostProcess Start(IReadOnlyList<string> args)
    {
        var marker = Guid.NewGuid().ToString("N");
        var addresses = DashboardAddressKeys
            .Where(key => !args.Any(arg => arg.StartsWith($"--{key}=", StringComparison.Ordinal)))
            .Select(key => $"--{key}=http://127.0.0.1:{FreePort.Next()}");
        // appsettings.json is read from the working directory: the project folder, as `dotnet run` uses it.
        var info = Launch.Project("OrdersAspire.AppHost", [.. args, .. addresses], new Dictionary<string, string?>
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            [MarkerVariable] = marker,
        }, Path.Combine(RepositoryPaths.Root, "OrdersAspire.AppHost"));
        return new AppHostProcess(ServerProcess.Start(info), marker);
    }

    /// <summary>Runs the AppHost to its end (bounded); kills it and fails when it outlives <paramref name="timeout"/>.</summary>
    public static async Task<AppHostProcess> RunToExitAsync(TimeSpan timeout, params string[] args)
    {
        var host = Start(args);
        await host.WaitForExitAsync(timeout);
        return host;
    }

    /// <summary>Every live process carrying this run's marker, the AppHost itself excluded.</summary>
    public IReadOnlyList<RunProcess> Processes() => [.. RunProcesses().Select(p => p.Process)];

    /// <summary>The value of <paramref name="variable"/> in the environment DCP gave this run's <paramref name="service"/>, or null.</summary>
    public string? VariableOf(string service, string variable) =>
        RunProcesses().Where(p => p.Process.Name == service)
            .SelectMany(p => p.Environment)
            .FirstOrDefault(v => v.StartsWith($"{variable}=", StringComparison.Ordinal))?[(variable.Length + 1)..];

    /// <summary>Every live process whose command line mentions <paramref name="text"/>, such as a data folder.</summary>
    public static IReadOnlyList<RunProcess> ProcessesMentioning(string text) =>
        [.. LiveProcesses().Where(p => p.Process.CommandLine.Contains(text, StringComparison.Ordinal)).Select(p => p.Process)];


    /// <summary>Waits for the exit; an AppHost that outlives <paramref name="timeout"/> is killed and reported with its output.</summary>
    public Task WaitForExitAsync(TimeSpan timeout) => process.WaitForExitAsync(timeout);

    public void Signal(string signal) => process.Signal(signal);

    /// <summary>Leaves nothing behind when a test failed midway: the AppHost and whatever of its run still lives.</summary>
    public void Dispose()
    {
        process.KillAsync().GetAwaiter().GetResult();
        foreach (var leftover in Processes())
        {
            try
            {
                Process.GetProcessById(leftover.Pid).Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        process.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private IEnumerable<(int Pid, string[] Environment, RunProcess Process)> RunProcesses() =>
        LiveProcesses().Where(p => p.Pid != process.Id && p.Environment.Contains($"{MarkerVariable}={marker}"));

    private static IEnumerable<(int Pid, string[] Environment, RunProcess Process)> LiveProcesses()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid)
                && ReadNulSeparated(Path.Combine(directory, "environ")) is { } environment
                && ReadNulSeparated(Path.Combine(directory, "cmdline")) is [var executable, ..] commandLine)
            {
                // Aspire names each service process after its resource; DCP and the dashboard are known by their executable.
                var service = environment.FirstOrDefault(v => v.StartsWith(ServiceNameVariable, StringComparison.Ordinal))?[ServiceNameVariable.Length..];
                yield return (pid, environment, new RunProcess(pid, service ?? Path.GetFileName(executable), string.Join(' ', commandLine)));
            }
        }
    }

    private static string[]? ReadNulSeparated(string file)
    {
        try
        {
            return File.ReadAllText(file).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process ended meanwhile, or belongs to someone we may not read.
            return null;
        }
    }
}
