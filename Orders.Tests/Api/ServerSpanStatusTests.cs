using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orders.Api.Storage;

namespace Orders.Tests.Api;

/// <summary>
/// A failed call's server span (docs/telemetry.md, "Spans of one call") is an error for a server fault, and not for a
/// status that is the caller's to fix, whatever the ASP.NET Core instrumentation makes of the HTTP 200 it ends with.
/// </summary>
public sealed class ServerSpanStatusTests
{
    private static readonly HashSet<StatusCode> ServerFaults =
        [StatusCode.Unknown, StatusCode.DeadlineExceeded, StatusCode.Unimplemented, StatusCode.Internal, StatusCode.Unavailable, StatusCode.DataLoss];

    [Fact]
    public async Task EveryServerFault_IsAnErrorOnTheServerSpan_NoOtherStatusIs()
    {
        var failWith = StatusCode.Unknown;
        await using var api = new OrdersApiFactory(configureServices: services =>
            services.AddSingleton<IOrderStore>(new FailingOrderStore(() => new RpcException(new Status(failWith, "failed below the service")))));
        var client = api.CreateOrdersClient();
        var failures = System.Enum.GetValues<StatusCode>().Where(code => code != StatusCode.OK).ToList();
        var seen = new List<(StatusCode Code, ActivityStatusCode Status)>();

        foreach (var code in failures)
        {
            failWith = code;
            var requestId = Guid.NewGuid().ToString("N");
            var error = await Assert.ThrowsAsync<RpcException>(() => client.getOrderAsync(
                new StringValue { Value = "101" }, new Metadata { { "x-request-id", requestId } }).ResponseAsync);
            Assert.Equal(code, error.StatusCode);

            var span = await api.ServerSpanAsync(requestId);
            Assert.Single(api.ExportedSpans, s => OrdersApiFactory.IsServerSpanOf(s, requestId));
            seen.Add((code, span.Status));
        }

        Assert.Equal(
            failures.Select(code => ServerFaults.Contains(code)
                ? (code, ActivityStatusCode.Error)
                : (code, ActivityStatusCode.Unset)),
            seen);
    }
}
