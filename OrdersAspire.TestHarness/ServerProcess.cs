using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace OrdersAspire.TestHarness;

/// <summary>
/// A program this run started and leaves running (a built app, a script, a database server): stdout and stderr read as
/// they come (a full pipe would stall it) and kept, ready when a URL answers or a line appears, stopped by a signal and
/// killed if it lingers. Disposing stops it with its stop signal (or kills it when it was given none) and deletes the
/// folder it was given to own.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly StringBuilder output = new();

    private readonly string? stopSignal;
    private readonly string? ownedDirectory;

    private ServerProcess(Process process, string? stopSignal, string? ownedDirectory)
    {
        this.process = process;
        this.stopSignal = stopSignal;
        this.ownedDirectory = ownedDirectory;
    }

    /// <param name="info">What to run (see <see cref="Launch"/>).</param>
    /// <param name="stopSignal">Sent on dispose so it stops cleanly (e.g. TERM); null: disposing kills it outright.</param>
    /// <param name="ownedDirectory">A folder of its own (its data), deleted once it has stopped.</param>
    public static ServerProcess Start(ProcessStartInfo info, string? stopSignal = null, string? ownedDirectory = null)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var server = new ServerProcess(new Process { StartInfo = info }, stopSignal, ownedDirectory);
        server.process.OutputDataReceived += (_, e) => server.Append(server.stdout, e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Append(server.stderr, e.Data);
        server.process.Start();
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// Starts <paramref name="info"/> and waits until a GET on <paramref name="ready"/> succeeds; one that exits or overruns
    /// <paramref name="timeout"/> first is disposed and reported with its output, never left running.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(ProcessStartInfo info, Uri ready, Version httpVersion, TimeSpan timeout,
        string? stopSignal = null, string? ownedDirectory = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var server = Start(info, stopSignal, ownedDirectory);
        try
        {
            await server.WaitUntilAnswersAsync(ready, httpVersion, timeout, headers);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>What it is called in messages: the script or dll it runs, else the program.</summary>
    public string Name => process.StartInfo.ArgumentList is [var entry, ..] && Path.GetExtension(entry) is ".dll" or ".py"
        ? Path.GetFileNameWithoutExtension(entry)
        : Path.GetFileName(process.StartInfo.FileName);

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public string Stdout => Read(stdout);

    public string Stderr => Read(stderr);

    /// <summary>Stdout and stderr interleaved as they arrived (for failure messages).</summary>
    public string Output => Read(output);

    /// <summary>Waits until a GET on <paramref name="url"/> succeeds over <paramref name="httpVersion"/> (exactly: h2c needs prior knowledge).</summary>
    public async Task WaitUntilAnswersAsync(Uri url, Version httpVersion, TimeSpan timeout, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var http = new HttpClient
        {
            DefaultRequestVersion = httpVersion,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(5),
        };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            http.DefaultRequestHeaders.Add(name, value);
        }

        await WaitUntilAsync($"{url} answered", timeout, async () =>
        {
            try
            {
                using var response = await http.GetAsync(url);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                // A probe timed out; try again while time is left.
                return false;
            }
        });
    }

    /// <summary>Waits until a stdout line matches <paramref name="ready"/> and returns that line.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> ready, string what, TimeSpan timeout)
    {
        string? seen = null;
        await WaitUntilAsync(what, timeout, () =>
        {
            seen = Stdout.Split('\n').Select(line => line.TrimEnd('\r')).FirstOrDefault(ready);
            return Task.FromResult(seen is not null);
        });
        return seen!;
    }

    /// <summary>Waits for the exit; a process that outlives <paramref name="timeout"/> is killed with its children and reported.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:0} s:\n{Output}");
        }
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, INT, KILL …) to the process alone.</summary>
    public void Signal(string signal) => GracefulStop.Signal(process, signal);

    /// <summary><paramref name="signal"/>, then a kill of the whole tree if it has not exited within <paramref name="grace"/>.</summary>
    public Task StopAsync(string signal, TimeSpan grace) => GracefulStop.StopAsync(process, signal, grace);

    /// <summary>SIGKILL of the whole tree: no shutdown of any kind, as a crash or an OOM kill would stop it. Waits for the exit.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(DrainTimeout);
            await process.WaitForExitAsync(timeout.Token);
        }
    }

    /// <summary>Its memory from /proc/&lt;pid&gt;/status in MiB: the resident set now (VmRSS) or its peak (VmHWM).</summary>
    public double ResidentMiB(string field = "VmRSS")
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        if (stopSignal is null)
        {
            await KillAsync();
        }
        else
        {
            await StopAsync(stopSignal, StopGrace);
        }

        process.Dispose();
        if (ownedDirectory is not null)
        {
            try
            {
                Directory.Delete(ownedDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless; failing a finished run over it is not.
            }
        }
    }

    private async Task WaitUntilAsync(string what, TimeSpan timeout, Func<Task<bool>> ready)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                // Exit can be seen before the output readers reach end of stream; the message needs all of it.
                using var drained = new CancellationTokenSource(DrainTimeout);
                await process.WaitForExitAsync(drained.Token);
                if (await ready())
                {
                    return;
                }

                throw new InvalidOperationException($"Waiting until {what}, {Name} exited with {process.ExitCode}:\n{Output}");
            }

            if (await ready())
            {
                return;
            }

            await Task.Delay(PollInterval);
        }

        throw new TimeoutException($"{Name}: not {what} within {timeout.TotalSeconds:0} s:\n{Output}");
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            buffer.AppendLine(line);
            if (buffer != output)
            {
                output.AppendLine(line);
            }
        }
    }

    private string Read(StringBuilder buffer)
    {
        lock (output)
        {
            return buffer.ToString();
        }
    }
}
