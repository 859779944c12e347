using OrdersAspire.GrpcInsights.Store;

namespace Orders.Tests.GrpcInsights.Store;

/// <summary>The order of the method × status matrix's rows and columns.</summary>
public sealed class GrpcCallMatrixTests
{
    [Fact]
    public void Methods_AreSortedOrdinally()
    {
        var matrix = GrpcCallMatrix.From([Call("b/get", "OK"), Call("a/get", "OK"), Call("B/get", "OK"), Call("b/get", "OK")]);

        Assert.Equal(["B/get", "a/get", "b/get"], matrix.Methods);
        Assert.Equal(2, matrix.Cell("b/get", "OK")!.Count);
    }

    [Fact]
    public void Statuses_AreSortedByCode_ThenUnknownNamesOrdinally()
    {
        var matrix = GrpcCallMatrix.From([Call("m", "ZEBRA"), Call("m", "NOT_FOUND"), Call("m", "APPLE"), Call("m", "OK"), Call("m", "CANCELLED")]);

        Assert.Equal(["OK", "CANCELLED", "NOT_FOUND", "APPLE", "ZEBRA"], matrix.Statuses);
    }

    private static GrpcCall Call(string method, string status) => new()
    {
        TraceId = "t1",
        Method = method,
        Status = status,
        Server = StoreSpans.Span("s1", kind: SpanKind.Server),
    };
}
