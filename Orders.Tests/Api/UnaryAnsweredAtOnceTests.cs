using System.Diagnostics.Metrics;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Orders.Api.Interceptors;
using Orders.Api.Options;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Api;

/// <summary>
/// A unary handler that has already answered (a point read completes at once): the tracking interceptor ends and counts
/// the call there and hands back the handler's own task, or a failed task with the mapped status; it reads the call's
/// headers from the HTTP request, never making grpc-dotnet copy them all into the call's metadata.
/// </summary>
public sealed class UnaryAnsweredAtOnceTests : IDisposable
{
    private static readonly StringValue Order101 = new() { Value = "101" };

    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeLogger<ServerCallTrackingInterceptor> logger = new();
    private readonly ServerCallTrackingInterceptor interceptor;
    private readonly MetricCollector<double> durations;

    public UnaryAnsweredAtOnceTests()
    {
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        // The start line (Trace) lists the call's metadata; production logs from Information, where no header is read.
        logger.ControlLevel(LogLevel.Trace, enabled: false);
        interceptor = new ServerCallTrackingInterceptor(
            logger, new ServerCallMetrics(meterFactory), TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new OrdersOptions()));
        durations = new MetricCollector<double>(meterFactory, "Orders.Api", "rpc.server.call.duration");
    }

    [Fact]
    public async Task TheHandlersOwnTaskIsReturned_AndTheCallIsCountedAsAnswered()
    {
        var answer = Task.FromResult(new Order { Id = "101" });

        var returned = interceptor.UnaryServerHandler(Order101, new HttpOnlyCallContext(), (_, _) => answer);

        Assert.Same(answer, returned);
        Assert.Equal("OK", Assert.Single(durations.GetMeasurementSnapshot()).Tags.RpcStatusName());
        Assert.Equal("1", MessagesSentOfTheEndLine());
        Assert.Equal("101", (await returned).Id);
    }

    [Fact]
    public async Task AHandlerThatThrowsAtOnce_EndsTheCallWithItsStatus_InTheReturnedTask()
    {
        var returned = interceptor.UnaryServerHandler<StringValue, Order>(
            Order101, new HttpOnlyCallContext(), (_, _) => throw new RpcException(new Status(StatusCode.NotFound, "Order 101 not found.")));

        var failure = await Assert.ThrowsAsync<RpcException>(() => returned);
        Assert.Equal(StatusCode.NotFound, failure.StatusCode);
        Assert.Equal("NOT_FOUND", Assert.Single(durations.GetMeasurementSnapshot()).Tags.RpcStatusName());
        Assert.Equal("0", MessagesSentOfTheEndLine());
    }

    [Fact]
    public async Task AHandlerStillWorking_IsTrackedUntilItAnswers()
    {
        var answer = new TaskCompletionSource<Order>(TaskCreationOptions.RunContinuationsAsynchronously);

        var returned = interceptor.UnaryServerHandler(Order101, new HttpOnlyCallContext(), (_, _) => answer.Task);

        Assert.Empty(durations.GetMeasurementSnapshot());
        answer.SetResult(new Order { Id = "101" });
        Assert.Equal("101", (await returned).Id);
        Assert.Single(durations.GetMeasurementSnapshot());
        Assert.Equal("1", MessagesSentOfTheEndLine());
    }

    public void Dispose()
    {
        durations.Dispose();
        services.Dispose();
    }

    /// <summary>The call's one end line (every level is on in a FakeLogger) and the response messages it counts.</summary>
    private string? MessagesSentOfTheEndLine() =>
        Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Name is "GrpcCallEnded" or "GrpcCallFailed").GetStructuredStateValue("MessagesSent");

    /// <summary>
    /// A getOrder call's context outside grpc-dotnet's own: a plain HttpContext where grpc-dotnet's GetHttpContext looks
    /// for one, and request metadata that refuses to be read.
    /// </summary>
    private sealed class HttpOnlyCallContext : ServerCallContext
    {
        private readonly Dictionary<object, object> userState = new() { ["__HttpContext"] = new DefaultHttpContext() };

        protected override string MethodCore => "/ecommerce.OrderManagement/getOrder";

        protected override string HostCore => "localhost";

        protected override string PeerCore => "ipv4:127.0.0.1:50000";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore => throw new InvalidOperationException("The call's metadata was built: every request header copied.");

        protected override CancellationToken CancellationTokenCore => CancellationToken.None;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore => new(null, []);

        protected override IDictionary<object, object> UserStateCore => userState;

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
