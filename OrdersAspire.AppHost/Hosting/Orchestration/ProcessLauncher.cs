using System.Diagnostics;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>
/// Starts every child process from one dedicated, never-ending thread. Children run under
/// <c>setpriv --pdeathsig SIGKILL</c>: the kernel kills them when the thread that forked them dies — which, for a
/// thread that lives as long as the AppHost, means when the AppHost dies, even by SIGKILL. <c>setsid</c> puts each
/// child in its own session so a terminal's Ctrl+C reaches only the AppHost, which then stops children in order.
/// </summary>
internal sealed class ProcessLauncher
{
    private const string SetPriv = "/usr/bin/setpriv";
    private const string SetSid = "/usr/bin/setsid";

    private readonly Queue<Action> work = new();

    public ProcessLauncher()
    {
        var thread = new Thread(RunForever) { IsBackground = true, Name = "Child process launcher" };
        thread.Start();
    }

    /// <summary>True when children die with the AppHost (Linux with util-linux); elsewhere a best effort.</summary>
    public static bool GuardsAgainstOrphans => File.Exists(SetPriv) && File.Exists(SetSid);

    /// <summary>Runs <c>dotnet</c> with the given arguments; stdout/stderr lines go to <paramref name="onLine"/> (isError).</summary>
    public Task<Process> StartDotnetAsync(IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, Action<string, bool> onLine) =>
        StartAsync(DotnetHost(), arguments, workingDirectory, environment, onLine, runAs: null);

    /// <summary>Runs <paramref name="fileName"/> (found on PATH when not rooted), as the user <paramref name="runAs"/> when set.</summary>
    public Task<Process> StartAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, Action<string, bool> onLine, string? runAs)
    {
        if (runAs is not null && !GuardsAgainstOrphans)
        {
            throw new ResourceStartException($"Running {Path.GetFileName(fileName)} as the {runAs} user needs {SetPriv} and {SetSid} (util-linux).");
        }

        var info = new ProcessStartInfo
        {
            FileName = GuardsAgainstOrphans ? SetPriv : fileName,
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (GuardsAgainstOrphans)
        {
            string[] user = runAs is null ? [] : [$"--reuid={runAs}", $"--regid={runAs}", "--clear-groups"];
            foreach (var prefix in (string[])[.. user, "--pdeathsig", "SIGKILL", "--", SetSid, fileName])
            {
                info.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(() =>
        {
            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data, false); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data, true); };
            try
            {
                process.Start();
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                started.SetResult(process);
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                process.Dispose();
                started.SetException(ex);
            }
        });
        return started.Task;
    }

    // `dotnet run` and `dotnet test` tell their children where the host is; otherwise it is whatever runs us or PATH's.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    private void Enqueue(Action action)
    {
        lock (work)
        {
            work.Enqueue(action);
            Monitor.Pulse(work);
        }
    }

    private void RunForever()
    {
        while (true)
        {
            Action next;
            lock (work)
            {
                while (work.Count == 0)
                {
                    Monitor.Wait(work);
                }

                next = work.Dequeue();
            }

            next();
        }
    }
}
