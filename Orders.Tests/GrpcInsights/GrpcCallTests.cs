using OrdersAspire.GrpcInsights.Store;
using OrdersAspire.Shared;
using static Orders.Tests.GrpcInsights.StoredSpans;

namespace Orders.Tests.GrpcInsights;

/// <summary>What a call's figures, the status colours and the matrix's rows and columns read from the stored spans.</summary>
public sealed class GrpcCallTests
{
    private static readonly SpanData Client = Span("t", "c", null, SpanKind.Client, ClientResource, 0, 100);
    private static readonly SpanData Server = Span("t", "s", "c", SpanKind.Server, ApiResource, 10, 80);

    [Fact]
    public void TheBudgetIsTheServersArrivalBudget_ElseTheClients()
    {
        Assert.Equal(290, (Call() with { ClientDeadlineMs = 300, ServerDeadlineMs = 290 }).DeadlineMs);
        Assert.Equal(300, (Call() with { ClientDeadlineMs = 300 }).DeadlineMs);
        Assert.Null(Call().DeadlineMs);
    }

    [Fact]
    public void TheWaitIsTheClientsSpan_ElseTheServers()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(100), Call().Waited);
        Assert.Equal(TimeSpan.FromMilliseconds(80), (Call() with { Client = null }).Waited);
    }

    [Theory]
    [InlineData(160, 0.5, false)]
    [InlineData(80, 1, true)]
    [InlineData(40, 2, true)]
    public void TheBudgetUsedIsTheServersTimeOverTheBudget_AndItsWholeIsOverBudget(double budget, double used, bool over)
    {
        var call = Call() with { ServerDeadlineMs = budget };

        Assert.Equal((used, over), (call.BudgetUsed, call.OverBudget));
    }

    [Fact]
    public void AZeroBudgetIsNoBudget()
    {
        var call = Call() with { ServerDeadlineMs = 0 };

        Assert.Equal<(double?, bool)>((null, false), (call.BudgetUsed, call.OverBudget));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("OK", false)]
    [InlineData("NOT_FOUND", true)]
    [InlineData("UNAVAILABLE", true)]
    public void EveryStatusButOkIsAnError(string? status, bool error) => Assert.Equal(error, GrpcStatusCodes.IsError(status));

    [Fact]
    public void TheMatrixListsMethodsInOrdinalOrder_AndStatusesByCodeThenName()
    {
        string[] statuses = ["custom-b", "NOT_FOUND", "OK", "custom-a", "CANCELLED"];
        var matrix = GrpcCallMatrix.From([.. statuses.Select((status, i) => Call() with { Method = $"svc/m{i % 3}", Status = status }),
            Call() with { Method = "svc/M" }]);

        Assert.Equal(["svc/M", "svc/m0", "svc/m1", "svc/m2"], matrix.Methods);
        Assert.Equal(["OK", "CANCELLED", "NOT_FOUND", "custom-a", "custom-b"], matrix.Statuses);
    }

    [Fact]
    public void ARepeatedRpcAttributeIsReadFromItsFirstValue_AsEveryAttributeIs()
    {
        static SpanData With(params (string Key, string Value)[] attributes) =>
            Server with { Attributes = [.. attributes.Select(a => new AttributeEntry(a.Key, a.Value))] };

        var older = With((RpcSemanticConventions.RpcSystem, "grpc"), (RpcSemanticConventions.RpcSystem, "other"),
            (RpcSemanticConventions.RpcService, "svc"), (RpcSemanticConventions.RpcService, "other"),
            (RpcSemanticConventions.RpcMethod, "first"), (RpcSemanticConventions.RpcMethod, "second"),
            (RpcSemanticConventions.GrpcStatusCode, "5"), (RpcSemanticConventions.GrpcStatusCode, "0"));
        var newer = With((RpcSemanticConventions.RpcSystemName, "grpc"), (RpcSemanticConventions.RpcSystemName, "other"),
            (RpcSemanticConventions.RpcMethod, "svc/first"),
            (RpcSemanticConventions.ResponseStatusCode, "NOT_FOUND"), (RpcSemanticConventions.ResponseStatusCode, "OK"));

        Assert.Equal((true, "svc/first", "NOT_FOUND"), (older.IsGrpc, older.RpcMethod, older.GrpcStatus));
        Assert.Equal((true, "svc/first", "NOT_FOUND"), (newer.IsGrpc, newer.RpcMethod, newer.GrpcStatus));
    }

    [Fact]
    public void ASpanEndingBeforeItStartsLastsNothing_AndANonGrpcSpanHasNoMethod()
    {
        Assert.Equal(TimeSpan.Zero, (Server with { End = Server.Start.AddMilliseconds(-5) }).Duration);
        Assert.Equal(TimeSpan.Zero, (Server with { End = Server.Start }).Duration);
        Assert.Null(Server.RpcMethod);
    }

    private static GrpcCall Call() => new() { TraceId = "t", Method = "svc/m", Status = "OK", Start = T0, Client = Client, Server = Server };
}
