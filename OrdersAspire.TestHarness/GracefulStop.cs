using System.Diagnostics;

namespace OrdersAspire.TestHarness;

/// <summary>Stops a process the way its operator would — a signal — and kills it if it has not gone within a bound.</summary>
public static class GracefulStop
{
    /// <summary>Sends <paramref name="signal"/> (a name such as TERM, INT, KILL) to the process alone, not its children.</summary>
    public static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", $"{process.Id}"]);
        kill.WaitForExit(10_000);
    }

    public static async Task StopAsync(Process process, string signal, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        Signal(process, signal);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
