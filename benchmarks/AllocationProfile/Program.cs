using AllocationProfile;

// What a getOrder call allocates, two ways (benchmarks/results/profile.md):
//   AllocationProfile <trace.nettrace> <calls during the trace> [rows]  bytes per call by type, sampled from a dotnet-trace trace
//   AllocationProfile calls [calls per round]                            exact bytes per call, each server hosted in this process
return args is [CallAllocations.Command, .. var rest] ? await CallAllocations.RunAsync(rest) : TraceAllocations.Run(args);
