using System.Diagnostics;

namespace OrdersAspire.TestHarness;

/// <summary>
/// How every process of the harness is described: its output redirected, an environment entry with a null value removing
/// that variable from what it inherits, and never the caller's OTLP endpoint (each run says where telemetry goes).
/// </summary>
public static class Launch
{
    public static ProcessStartInfo Program(
        string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return info;
    }

    /// <summary>
    /// <c>dotnet &lt;project&gt;.dll …</c> for a built project of this repository (<see cref="RepositoryPaths.ProjectOutput"/>), run
    /// in its output folder unless told otherwise: an app reads its appsettings.json from its working directory.
    /// </summary>
    public static ProcessStartInfo Project(
        string project, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var dll = RepositoryPaths.ProjectOutput(project);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build {project} first: dotnet build -c {RepositoryPaths.Configuration} ({dll} is missing).", dll);
        }

        return Built(dll, arguments, environment, workingDirectory);
    }

    /// <summary><c>dotnet &lt;dll&gt; …</c> for a built app anywhere (another checkout's build), run in the dll's folder unless told otherwise.</summary>
    public static ProcessStartInfo Built(
        string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null) =>
        Program("dotnet", [dll, .. arguments], environment, workingDirectory ?? Path.GetDirectoryName(dll));
}
