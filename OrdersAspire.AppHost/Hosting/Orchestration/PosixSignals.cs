using System.Runtime.InteropServices;

namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>Process.Kill only sends SIGKILL; a graceful stop needs SIGTERM, which .NET hosts turn into an orderly shutdown.</summary>
internal static partial class PosixSignals
{
    private const int SigTerm = 15;

    public static bool Terminate(int pid) => OperatingSystem.IsWindows() is false && Kill(pid, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
