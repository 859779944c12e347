using OrdersAspire.GrpcInsights.Store;

namespace Orders.Tests.GrpcInsights.Store;

/// <summary>Which gRPC statuses mark a call or trace as failed.</summary>
public sealed class GrpcStatusCodesTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("OK", false)]
    [InlineData("CANCELLED", true)]
    [InlineData("UNAVAILABLE", true)]
    [InlineData("UNKNOWN", true)]
    public void IsError_IsEveryStatusButNoneAndOk(string? status, bool isError) =>
        Assert.Equal(isError, GrpcStatusCodes.IsError(status));
}
