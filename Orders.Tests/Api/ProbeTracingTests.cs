using System.Diagnostics;
using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Orders.Tests.Api;

/// <summary>
/// ServiceDefaults' tracing (docs/telemetry.md): requests to the health endpoints get no span; any other request, a
/// gRPC call included, gets ASP.NET Core's request span (a gRPC call's is its server span).
/// </summary>
public sealed class ProbeTracingTests : InProcessApiTest
{
    [Fact]
    public async Task ProbesOfHealthAndAlive_AreNotTraced_OtherRequestsAre()
    {
        using var http = Factory.CreateClient();
        var health = await GetInANewTraceAsync(http, "/health", HttpStatusCode.OK);
        var alive = await GetInANewTraceAsync(http, "/alive", HttpStatusCode.OK);
        var notAProbe = await GetInANewTraceAsync(http, "/alive-and-well", HttpStatusCode.NotFound);
        var requestId = Guid.NewGuid().ToString("N");
        await Client.getOrderAsync(new StringValue { Value = "101" }, new Metadata { { "x-request-id", requestId } });

        // Both came after the probes: once their spans are exported, the probes' would have been too.
        await Factory.ExportedSpans.WaitForAsync(span => span.TraceId == notAProbe, "the span of a request that is not a probe");
        await Factory.ServerSpanAsync(requestId);
        Assert.Empty(Factory.ExportedSpans.Where(span => span.TraceId == health || span.TraceId == alive).Select(span => span.DisplayName));
    }

    /// <summary>GETs <paramref name="path"/> as the child of a new trace (a traceparent header), whose id it returns.</summary>
    private static async Task<ActivityTraceId> GetInANewTraceAsync(HttpClient http, string path, HttpStatusCode expected)
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        return traceId;
    }
}
