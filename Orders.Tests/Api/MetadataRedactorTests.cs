using Grpc.Core;
using Orders.Api.Interceptors;

namespace Orders.Tests.Api;

/// <summary>What the server's "started" log line shows of request metadata: every allow-listed value, nothing else's.</summary>
public sealed class MetadataRedactorTests
{
    [Fact]
    public void AllowListedValuesAreShown_OtherValuesOnlyByLength_BinaryOnesByByteCount()
    {
        var metadata = new Metadata
        {
            { "x-request-id", "r-1" },
            { "x-orders-delay-ms", "250" },
            { "user-agent", "grpc-dotnet/2" },
            { "content-type", "application/grpc" },
            { "te", "trailers" },
            { "grpc-timeout", "5S" },
            { "grpc-encoding", "gzip" },
            { "grpc-accept-encoding", "identity,gzip" },
            { "grpc-previous-rpc-attempts", "1" },
            { "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
            { "tracestate", "vendor=1" },
            { "authorization", "Bearer abc" },
            { "token-bin", new byte[] { 1, 2, 3 } },
        };

        Assert.Equal(
            "x-request-id=r-1, x-orders-delay-ms=250, user-agent=grpc-dotnet/2, content-type=application/grpc, te=trailers, "
            + "grpc-timeout=5S, grpc-encoding=gzip, grpc-accept-encoding=identity,gzip, grpc-previous-rpc-attempts=1, "
            + "traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01, tracestate=vendor=1, "
            + "authorization=[redacted 10 chars], token-bin=[redacted 3 bytes]",
            MetadataRedactor.Format(metadata));
    }

    [Fact]
    public void AShownValueIsPrintable()
    {
        var metadata = new Metadata { { "x-request-id", "r-1\u001B[2J\tforged" }, { "user-agent", "a\\b" } };

        Assert.Equal(@"x-request-id=r-1\u001B[2J\tforged, user-agent=a\\b", MetadataRedactor.Format(metadata));
    }
}
