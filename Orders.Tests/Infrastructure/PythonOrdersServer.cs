using System.Diagnostics;
using System.Text;
using OrdersAspire.Shared;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// CrossLanguage/orders_server.py — a grpcio server of the same contract, as the original service was — on a free
/// loopback port under Debian's /usr/bin/python3. It stops on SIGTERM and, whatever happens, by itself after 120 s.
/// </summary>
public sealed class PythonOrdersServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder stderr = new();
    private Process? process;

    public Uri Address { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "CrossLanguage", "orders_server.py"), "0", RepositoryPaths.Proto])
        {
            info.ArgumentList.Add(argument);
        }

        process = Process.Start(info)!;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();

        // The first line is "listening <port>", printed once the server accepts calls.
        using var timeout = new CancellationTokenSource(StartTimeout);
        var first = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (first?.Split(' ') is not ["listening", var port])
        {
            await process.WaitForExitAsync(timeout.Token);
            lock (stderr)
            {
                throw new InvalidOperationException($"orders_server.py did not start (exit {process.ExitCode}):\n{first}\n{stderr}");
            }
        }

        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        if (process is null)
        {
            return;
        }

        await GracefulStop.StopAsync(process, "TERM", TimeSpan.FromSeconds(10));
        process.Dispose();
    }
}
