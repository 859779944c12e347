using Microsoft.Extensions.Logging.Testing;

namespace Orders.Tests.Infrastructure;

/// <summary>Orders.Api's per-call log records (docs/telemetry.md, "Logs").</summary>
public static class ServerCallRecords
{
    /// <summary>The call's one end record: ended without a detail, failed with one, or cancelled under its handler.</summary>
    public static bool IsCallEnd(FakeLogRecord record) => record.Id.Name is "GrpcCallEnded" or "GrpcCallFailed" or "GrpcCallCancelled";
}
