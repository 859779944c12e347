using System.Security.Authentication;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Orders.Client.Output;

namespace Orders.Tests.Client;

public class RpcErrorOutputTests
{
    private static RpcException RichError() => new Google.Rpc.Status
    {
        Code = (int)Code.InvalidArgument,
        Message = "Invalid order.",
        Details =
        {
            Any.Pack(new BadRequest
            {
                FieldViolations =
                {
                    new BadRequest.Types.FieldViolation { Field = "items", Description = "An order needs at least one item." },
                    new BadRequest.Types.FieldViolation { Field = "price", Description = "The price must not be negative." },
                },
            }),
            Any.Pack(new ResourceInfo { ResourceType = "order", ResourceName = "101", Description = "the order" }),
            Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(1500)) }),
            Any.Pack(new ErrorInfo { Reason = "STOCK", Domain = "orders.example" }),
        },
    }.ToRpcException();

    [Fact]
    public void TextDescribesTheStatusAndEveryDetail()
    {
        var lines = RpcErrorDescriber.Describe(RichError());

        Assert.Equal(
            [
                "INVALID_ARGUMENT (3): Invalid order.",
                "  field violation: items: An order needs at least one item.",
                "  field violation: price: The price must not be negative.",
                "  resource: order 101 (the order)",
                "  retry after: 1.5s",
            ],
            lines.Take(5));
        Assert.Equal(
            """  google.rpc.ErrorInfo: { "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "STOCK", "domain": "orders.example" }""",
            lines[5]);
        Assert.Equal(6, lines.Count);
    }

    /// <summary>A call that never reached the service: UNAVAILABLE, its debug exception the failed TLS handshake as .NET reports it.</summary>
    internal static RpcException TlsHandshakeFailure(string handshakeMessage) => new(new Grpc.Core.Status(
        StatusCode.Unavailable,
        "Error starting gRPC call.",
        new HttpRequestException("The SSL connection could not be established, see inner exception.", new AuthenticationException(handshakeMessage))));

    [Fact]
    public void AFailedTlsHandshakeGetsAHintByItsCause()
    {
        Assert.Equal(
            [
                "UNAVAILABLE (14): Error starting gRPC call.",
                "  hint: the server's TLS certificate is not trusted here: for a self-signed or private CA certificate, pass it with --ca <pem-file>.",
            ],
            RpcErrorDescriber.Describe(TlsHandshakeFailure("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot")));
        Assert.Equal(
            [
                "UNAVAILABLE (14): Error starting gRPC call.",
                "  hint: the TLS handshake failed: a server that speaks plain HTTP/2 (h2c, as Orders.Api does unless TLS is configured) needs an http:// address.",
            ],
            RpcErrorDescriber.Describe(TlsHandshakeFailure("Cannot determine the frame size or a corrupted frame was received.")));
        Assert.Equal(["UNAVAILABLE (14): Error starting gRPC call."], RpcErrorDescriber.Describe(new RpcException(new Grpc.Core.Status(
            StatusCode.Unavailable, "Error starting gRPC call.", new HttpRequestException("Connection refused")))));
    }

    [Fact]
    public void AResourcesOwnerIsNamedWhenItHasOne()
    {
        var error = new Google.Rpc.Status
        {
            Code = (int)Code.NotFound,
            Message = "Order 7 not found.",
            Details = { Any.Pack(new ResourceInfo { ResourceType = "order", ResourceName = "7", Owner = "tenant-a" }) },
        }.ToRpcException();

        Assert.Equal(["NOT_FOUND (5): Order 7 not found.", "  resource: order 7 owner=tenant-a"], RpcErrorDescriber.Describe(error));
    }

    [Fact]
    public void PlainStatusWithoutDetailsIsJustTheHeadline()
    {
        var lines = RpcErrorDescriber.Describe(new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, "")));
        Assert.Equal(["DEADLINE_EXCEEDED (4)"], lines);
    }

    [Fact]
    public void TextErrorsGoToStderrOnly()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        new TextOutput(stdout, stderr).RpcError(RichError());

        Assert.Empty(stdout.ToString());
        Assert.Equal(["ERROR: " + RpcErrorDescriber.Describe(RichError())[0], .. RpcErrorDescriber.Describe(RichError()).Skip(1), ""], stderr.ToString().Split(Environment.NewLine));
    }

    [Fact]
    public void JsonErrorIsOneLineWithEveryDetail()
    {
        using var stdout = new StringWriter();
        new JsonOutput(stdout).RpcError(RichError());

        var line = Assert.Single(stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("code").GetString());
        Assert.Equal(3, error.GetProperty("status").GetInt32());
        Assert.Equal("Invalid order.", error.GetProperty("message").GetString());
        var details = error.GetProperty("details").EnumerateArray().ToList();
        Assert.Equal(4, details.Count);
        Assert.Equal("type.googleapis.com/google.rpc.BadRequest", details[0].GetProperty("@type").GetString());
        Assert.Equal(["items", "price"], details[0].GetProperty("fieldViolations").EnumerateArray().Select(v => v.GetProperty("field").GetString()));
        Assert.Equal("101", details[1].GetProperty("resourceName").GetString());
        Assert.Equal("1.500s", details[2].GetProperty("retryDelay").GetString());
    }

    [Fact]
    public void TextPrintsTheServersTextEscaped()
    {
        var error = new Google.Rpc.Status
        {
            Code = (int)Code.NotFound,
            Message = "Order a\u001B[2J not found.\nforged line",
            Details =
            {
                Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "id", Description = "bad\rline" } } }),
                Any.Pack(new ResourceInfo { ResourceType = "order", ResourceName = "a\u009B2J" }),
            },
        }.ToRpcException();

        Assert.Equal(
            [@"NOT_FOUND (5): Order a\u001B[2J not found.\nforged line", @"  field violation: id: bad\rline", @"  resource: order a\u009B2J"],
            RpcErrorDescriber.Describe(error));
    }
}
