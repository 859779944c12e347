using Aspire.Hosting.Testing;
using Grpc.Core;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Distributed;

/// <summary>The product's promise, read from the real Aspire dashboard: every error outcome of the scenario is a trace with both sides in it.</summary>
[Collection(TwoReplicaAppRun.Name)]
[Requires(Need.AppHost)]
public sealed class DashboardTracesTests(TwoReplicaApp fixture)
{
    [Theory]
    [InlineData("DEADLINE_EXCEEDED", "getOrder")]
    [InlineData("CANCELLED", "processOrders")]
    [InlineData("NOT_FOUND", "getOrder")]
    [InlineData("INVALID_ARGUMENT", "addOrder")]
    public async Task TheScenariosOutcomeIsATraceWithTheClientAndServerSpansOfTheCall(string status, string method)
    {
        var spans = await Eventually.HoldsAsync(
            () => fixture.Aspire.Telemetry.RecentSpansAsync(),
            all => CompleteTraces(all, status, method).Any(),
            $"a {method} {status} trace with the scenario step, the client call and the server call");

        var trace = CompleteTraces(spans, status, method).First();
        var step = trace.Single(s => s["scenario.expected"] == status);
        Assert.Equal(status, step["scenario.actual"]);
        var server = trace.First(s => IsCall(s, DashboardSpan.ServerKind, "orders-api", status, method));
        // The server span descends from the client's call: one trace, one causal chain.
        Assert.Contains(trace.First(s => IsCall(s, DashboardSpan.ClientKind, "orders-client", status, method)).SpanId, Ancestors(trace, server));
    }

    [Fact]
    public async Task ADeadlineExceededCallIsOneServerSpan_AnErrorUnderTheClientSpan_AndTheClientSpanNamesTheAddressCalledAndTheRequestId()
    {
        const string status = "DEADLINE_EXCEEDED";
        var spans = await Eventually.HoldsAsync(
            () => fixture.Aspire.Telemetry.RecentSpansAsync(),
            all => CompleteTraces(all, status, "getOrder").Any(),
            "a getOrder DEADLINE_EXCEEDED trace with the scenario step, the client call and the server call");

        var trace = CompleteTraces(spans, status, "getOrder").First();
        var client = trace.First(s => IsCall(s, DashboardSpan.ClientKind, "orders-client", status, "getOrder"));
        // One server span per call, ASP.NET Core's request span made the call's: the client span's child, named as the RPC.
        var server = Assert.Single(trace, s => s.Kind == DashboardSpan.ServerKind && s.ParentSpanId == client.SpanId);
        Assert.True(IsCall(server, DashboardSpan.ServerKind, "orders-api", status, "getOrder"), $"{server.Name}: {string.Join(", ", server.Attributes)}");
        Assert.Equal(("ecommerce.OrderManagement/getOrder", DashboardSpan.ErrorStatus), (server.Name, server.StatusCode));
        Assert.DoesNotContain(trace, s => s.ParentSpanId == server.SpanId);

        // The client was given http://orders-api; its span names the replica it really called, by its loopback address.
        var replicaPort = fixture.Aspire.ReplicaPort($"{server.Service}-{server.InstanceId}");
        Assert.Equal(("127.0.0.1", $"{replicaPort}"), (client["server.address"], client["server.port"]));
        Assert.Equal(("127.0.0.1", $"{replicaPort}"), (client["network.peer.address"], client["network.peer.port"]));
        Assert.Equal(server["orders.request_id"], client["orders.request_id"]);
    }

    internal static IEnumerable<List<DashboardSpan>> CompleteTraces(IReadOnlyList<DashboardSpan> spans, string status, string method) =>
        spans.GroupBy(s => s.TraceId).Select(t => t.ToList()).Where(trace =>
            trace.Any(s => s["scenario.expected"] == status)
            && trace.Any(s => IsCall(s, DashboardSpan.ClientKind, "orders-client", status, method))
            && trace.Any(s => IsCall(s, DashboardSpan.ServerKind, "orders-api", status, method)));

    /// <summary>A gRPC call span of either RPC semantic-convention generation: the older integer status or the newer name.</summary>
    internal static bool IsCall(DashboardSpan span, int kind, string service, string status, string method) =>
        span.Kind == kind && span.Service == service
        && (span["rpc.method"]?.EndsWith(method, StringComparison.Ordinal) ?? false)
        && (span["rpc.response.status_code"] == status || span["rpc.grpc.status_code"] == $"{(int)StatusCodeOf(status)}");

    private static StatusCode StatusCodeOf(string name) => Enum.Parse<StatusCode>(name.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    private static IEnumerable<string> Ancestors(List<DashboardSpan> trace, DashboardSpan span)
    {
        for (var parent = span.ParentSpanId; parent is not null && trace.Find(s => s.SpanId == parent) is { } p; parent = p.ParentSpanId)
        {
            yield return p.SpanId;
        }
    }
}
