using System.Diagnostics;
using System.Text;
using Orders.Tests.Infrastructure;

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

    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly string marker = Guid.NewGuid().ToString("N");

    private readonly Process process;

    private AppHostProcess(Process process) => this.process = process;

    public int ExitCode => process.ExitCode;

    public string Stdout => Read(stdout);

    public string Stderr => Read(stderr);

    /// <summary>Starts the AppHost; a dashboard address given in <paramref name="args"/> (<c>--KEY=url</c>) replaces its free port.</summary>
    public static AppHostProcess Start(IReadOnlyList<string> args)
    {
        // appsettings.json is read from the working directory: the project folder, as `dotnet run` uses it.
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepositoryPaths.Root, "OrdersAspire.AppHost"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepositoryPaths.ProjectOutput("OrdersAspire.AppHost"));
        foreach (var argument in args.Concat(DashboardAddressKeys
                     .Where(key => !args.Any(arg => arg.StartsWith($"--{key}=", StringComparison.Ordinal)))
                     .Select(key => $"--{key}=http://127.0.0.1:{FreePort.Next()}")))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var process = new Process { StartInfo = info };
        var host = new AppHostProcess(process);
        info.Environment[MarkerVariable] = host.marker;
        process.OutputDataReceived += (_, e) => Append(host.stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(host.stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
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


    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The AppHost did not exit within {timeout.TotalSeconds} s.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", $"{process.Id}"]);
        kill.WaitForExit(10_000);
    }

    /// <summary>Leaves nothing behind when a test failed midway: the AppHost and whatever of its run still lives.</summary>
    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

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

        process.Dispose();
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

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is not null)
        {
            lock (buffer)
            {
                buffer.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }
}
