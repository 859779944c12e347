using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace AllocationProfile;

/// <summary>
/// Bytes allocated per call, by type, from a dotnet-trace <c>gc-verbose</c> trace (benchmarks/profile/profile.sh takes one).
/// The runtime samples an AllocationTick about every 100 KB allocated, naming the type that crossed the line, so a
/// type's share of the samples estimates its share of the bytes; the total comes from the ticks' own amounts.
/// </summary>
internal static class TraceAllocations
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: AllocationProfile <trace.nettrace> <calls during the trace> [rows]");
            Console.Error.WriteLine($"       AllocationProfile {CallAllocations.Command} [calls per round]");
            return 2;
        }

        var calls = double.Parse(args[1], CultureInfo.InvariantCulture);
        var rows = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
        var bytesByType = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        using (var source = new EventPipeEventSource(args[0]))
        {
            source.Clr.GCAllocationTick += (GCAllocationTickTraceData tick) =>
            {
                var type = string.IsNullOrEmpty(tick.TypeName) ? "(unnamed)" : tick.TypeName;
                bytesByType[type] = bytesByType.GetValueOrDefault(type) + tick.AllocationAmount64;
                total += tick.AllocationAmount64;
            };
            source.Process();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total / calls:N0} bytes allocated per call ({calls:N0} calls, sampled every ~100 KB)"));
        Console.WriteLine("bytes/call  share  type");
        foreach (var (type, bytes) in bytesByType.OrderByDescending(pair => pair.Value).Take(rows))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes / calls,10:N0} {100.0 * bytes / total,5:N1}%  {type}"));
        }

        return 0;
    }
}
