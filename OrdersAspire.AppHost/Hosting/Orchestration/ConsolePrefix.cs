namespace OrdersAspire.AppHost.Hosting.Orchestration;

/// <summary>"replica-id | " before each echoed line; coloured per resource on a terminal so interleaved output stays readable.</summary>
internal static class ConsolePrefix
{
    private static readonly int[] AnsiColours = [36, 35, 33, 32, 34, 96, 95, 93];

    public static string For(string resource, string replicaId)
    {
        if (Console.IsOutputRedirected)
        {
            return $"{replicaId} | ";
        }

        // A stable colour per resource name (string.GetHashCode is randomised per process).
        var colour = AnsiColours[resource.Sum(c => c) % AnsiColours.Length];
        return $"\u001b[{colour}m{replicaId}\u001b[0m | ";
    }
}
