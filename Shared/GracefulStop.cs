using System.Diagnostics;

namespace OrdersAspire.Shared;

/// <summary>Stops a server process the way its operator would — a signal — and kills it if it has not gone within a bound.</summary>
internal static class GracefulStop
{
    public static async Task StopAsync(Process process, string signal, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", [$"-{signal}", $"{process.Id}"]))
        {
            await kill.WaitForExitAsync();
        }

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
