namespace OrdersAspire.AppHost.Hosting;

/// <summary>A command-line mistake: the AppHost prints the message and exits with 2, as the CLI does for usage errors.</summary>
public sealed class AppHostUsageException(string message) : Exception(message)
{
    public const int ExitCode = 2;
}
