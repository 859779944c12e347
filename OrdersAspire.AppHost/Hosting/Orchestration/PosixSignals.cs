using System.Runtime.InteropServices;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>The signals that ask a child to stop gracefully: .NET hosts shut down on SIGTERM, PostgreSQL does a fast shutdown on SIGINT.</summary>
internal enum StopSignal
{
    SigInt = 2,
    SigTerm = 15,
}

/// <summary>Process.Kill only sends SIGKILL; a graceful stop needs another signal, sent with libc kill(2).</summary>
internal static partial class PosixSignals
{
    public static bool Send(int pid, StopSignal signal) => OperatingSystem.IsWindows() is false && Kill(pid, (int)signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
