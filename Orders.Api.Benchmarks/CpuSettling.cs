using System.Diagnostics;

namespace Orders.Api.Benchmarks;

/// <summary>Waits until a server that has just been measured stops using the CPU, so the next server measured gets the cores.</summary>
internal static class CpuSettling
{
    /// <summary>Below this share of one core over a poll the process counts as settled.</summary>
    private const double Settled = 0.05;

    /// <summary>The longest it waits.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    /// <summary>How long it took, at most <see cref="Bound"/> (a process still busy then is left to it).</summary>
    public static async Task<TimeSpan> WaitAsync(int processId)
    {
        using var process = Process.GetProcessById(processId);
        var clock = Stopwatch.StartNew();
        var used = process.TotalProcessorTime;
        while (clock.Elapsed < Bound)
        {
            await Task.Delay(Poll);
            process.Refresh();
            var now = process.TotalProcessorTime;
            if ((now - used) / Poll < Settled)
            {
                break;
            }

            used = now;
        }

        return clock.Elapsed;
    }
}
