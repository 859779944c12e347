namespace OrdersAspire.AppHost;

/// <summary>What <c>--help</c> prints: every setting with its default and what it accepts, and the fixed addresses.</summary>
internal static class AppHostHelp
{
    public static void Write(TextWriter output, string[] args)
    {
        // The addresses as a run would read them: appsettings.json, then the environment, then the command line.
        var configuration = DistributedApplication.CreateBuilder(args).Configuration;

        output.WriteLine("Usage: dotnet run --project OrdersAspire.AppHost [-- --name value ...]");
        output.WriteLine();
        output.WriteLine("Settings (--name value, appsettings.json or the environment; a bad one ends the AppHost with exit code 2):");
        WriteTable(output, [("Setting", "Default", "Accepts"), .. AppHostSettings.All]);
        output.WriteLine();
        output.WriteLine("Fixed addresses (appsettings.json; each port is checked free before anything starts):");
        WriteTable(output, [("Variable", "Value", "Serves"), .. DashboardPorts.Addresses.Select(a => (a.Key, configuration[a.Key] ?? "(not set)", a.Serves))]);
        output.WriteLine();
        output.WriteLine("Aspire's own switches (--publisher manifest --output-path FILE, --operation, --environment, ...) and");
        output.WriteLine("configuration keys (a name with a capital, ':', '_' or '.', e.g. --Logging:LogLevel:Default=Debug) pass as they are.");
    }

    private static void WriteTable(TextWriter output, (string, string, string)[] rows)
    {
        var first = rows.Max(r => r.Item1.Length) + 2;
        var second = rows.Max(r => r.Item2.Length) + 2;
        foreach (var (name, value, meaning) in rows)
        {
            output.WriteLine($"  {name.PadRight(first)}{value.PadRight(second)}{meaning}");
        }
    }
}
