using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orders.Api.Storage;

namespace Orders.Tests.Api;

/// <summary>
/// A failed call's server spans (docs/telemetry.md, "Spans of one call"): the gRPC span and the HTTP span under it are
/// errors for a server fault, and not for a status that is the caller's to fix.
/// </summary>
public sealed class ServerSpanStatusTests
{
    private static readonly HashSet<StatusCode> ServerFaults =
        [StatusCode.Unknown, StatusCode.DeadlineExceeded, StatusCode.Unimplemented, StatusCode.Internal, StatusCode.Unavailable, StatusCode.DataLoss];

    [Fact]
    public async Task EveryServerFault_IsAnErrorOnBothServerSpans_NoOtherStatusIs()
    {
        var failWith = StatusCode.Unknown;
        await using var api = new OrdersApiFactory(configureServices: services =>
            services.AddSingleton<IOrderStore>(new FailingOrderStore(() => new RpcException(new Status(failWith, "failed below the service")))));
        var client = api.CreateOrdersClient();
        var failures = System.Enum.GetValues<StatusCode>().Where(code => code != StatusCode.OK).ToList();
        var seen = new List<(StatusCode Code, ActivityStatusCode Grpc, ActivityStatusCode Http)>();

        foreach (var code in failures)
        {
            failWith = code;
            var requestId = Guid.NewGuid().ToString("N");
            var error = await Assert.ThrowsAsync<RpcException>(() => client.getOrderAsync(
                new StringValue { Value = "101" }, new Metadata { { "x-request-id", requestId } }).ResponseAsync);
            Assert.Equal(code, error.StatusCode);

            var grpc = await api.ServerSpanAsync(requestId);
            var http = await api.HttpServerSpanAsync(requestId);
            seen.Add((code, grpc.Status, http.Status));
        }

        Assert.Equal(
            failures.Select(code => ServerFaults.Contains(code)
                ? (code, ActivityStatusCode.Error, ActivityStatusCode.Error)
                : (code, ActivityStatusCode.Unset, ActivityStatusCode.Unset)),
            seen);
    }
}
