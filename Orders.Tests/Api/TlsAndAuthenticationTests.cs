using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Orders.Client.Commands;
using Orders.Tests.Api.BadInput;
using Orders.Tests.Client;
using Orders.Tests.Infrastructure;
using OrdersAspire.Shared;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Api;

/// <summary>
/// Every kind of token against <see cref="SecuredApi"/> through the real command line: the status and reason each gets,
/// and that each call, refused or not, is logged, traced and counted, with the token in none of it.
/// </summary>
public sealed class TlsAndAuthenticationTests(SecuredApi secured) : IClassFixture<SecuredApi>
{
    private const string BothScopes = "orders.read orders.write";

    private static readonly string[] RefusedItems = ["Item - R"];

    public static TheoryData<string, StatusCode, string[]> TokenCases => new()
    {
        // token, expected status, command
        { "missing", StatusCode.Unauthenticated, ["get", "102"] },
        { "missing", StatusCode.Unauthenticated, ["search", "Item"] },
        { "expired", StatusCode.Unauthenticated, ["get", "102"] },
        { "wrong-audience", StatusCode.Unauthenticated, ["get", "102"] },
        { "wrong-issuer", StatusCode.Unauthenticated, ["get", "102"] },
        { "bad-signature", StatusCode.Unauthenticated, ["get", "102"] },
        { "malformed", StatusCode.Unauthenticated, ["get", "102"] },
        { "no-scope", StatusCode.PermissionDenied, ["get", "102"] },
        { "read", StatusCode.PermissionDenied, ["add", "--item", "Item - X", "--price", "1"] },
        { "read", StatusCode.PermissionDenied, ["update", "ORDERS_FILE"] },
        { "read", StatusCode.PermissionDenied, ["process", "102"] },
        { "read", StatusCode.PermissionDenied, ["delete", "104"] },
        { "read", StatusCode.OK, ["get", "102"] },
        { "read", StatusCode.OK, ["search", "Item"] },
        { "read-as-scp", StatusCode.OK, ["get", "102"] },
        { "write", StatusCode.OK, ["add", "--item", "Item - X", "--price", "1"] },
        { "write", StatusCode.OK, ["update", "ORDERS_FILE"] },
        // Every write method answers with orders, so orders.write grants reading too.
        { "write", StatusCode.OK, ["get", "102"] },
    };

    private OrdersApiFactory Api => secured.Api;

    [Theory]
    [MemberData(nameof(TokenCases))]
    public async Task EachTokenGetsItsStatus_AndEveryCallIsLoggedTracedAndCounted_WithoutTheToken(string token, StatusCode code, string[] command)
    {
        var bearer = Token(token);
        var requestId = Guid.NewGuid().ToString("N");
        using var durations = new MetricCollector<double>(Api.Services.GetRequiredService<IMeterFactory>(), "Orders.Api", "rpc.server.call.duration");

        var run = await CliAsync(
            [.. command.Select(arg => arg == "ORDERS_FILE" ? secured.OrdersFile : arg), "--header", $"x-request-id={requestId}",
             .. bearer is null ? Array.Empty<string>() : ["--token", bearer]]);

        var status = GrpcStatusNames.Of((int)code);
        Assert.True(run.ExitCode == ExitCodes.ForStatus((int)code), run.ToString());
        if (code != StatusCode.OK)
        {
            Assert.Contains($"ERROR: {status} ({(int)code}): {ExpectedDetail(token)}", run.Stderr, StringComparison.Ordinal);
        }

        var span = await Api.ServerSpanAsync(requestId);
        Assert.Equal(status, span.RpcStatusName());
        var method = (string)span.GetTagItem("rpc.method")!;
        // Refused or not, the call has one server span, its request span named as the RPC.
        Assert.Single(Api.ExportedSpans, s => OrdersApiFactory.IsServerSpanOf(s, requestId));
        Assert.Equal($"ecommerce.OrderManagement/{method}", span.DisplayName);
        var logs = Api.Services.GetFakeLogCollector().GetSnapshot();
        var ended = Assert.Single(logs, r => ServerCallRecords.IsCallEnd(r) && Equals(r.GetStructuredStateValue("OrdersRequestId"), requestId));
        Assert.Equal(status, ended.GetStructuredStateValue("StatusCode"));
        Assert.Contains(logs, r => r.Id.Name == "GrpcCallStarted" && Equals(r.GetStructuredStateValue("OrdersRequestId"), requestId));
        Assert.Contains(durations.GetMeasurementSnapshot(), m => Equals(m.Tags["rpc.method"], method) && Equals(m.Tags.RpcStatusName(), status));

        if (bearer is not null)
        {
            string[] texts =
            [
                run.Stdout, run.Stderr,
                .. logs.SelectMany(r => new[] { r.Message, r.Exception?.ToString() ?? "" }.Concat(r.StructuredState?.Select(kv => $"{kv.Value}") ?? [])),
                .. Api.ExportedSpans.Where(s => s.TraceId == span.TraceId).SelectMany(s => s.TagObjects.Select(t => $"{t.Value}")),
            ];
            Assert.DoesNotContain(texts, text => text.Contains(bearer, StringComparison.Ordinal));
            // Not vacuous: the server saw the header, by name and length only.
            Assert.Contains($"authorization=[redacted {"Bearer ".Length + bearer.Length} chars]", StartedMetadata(requestId), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ARefusedWriteChangesNothing()
    {
        var read = secured.Tokens.Mint("orders.read");

        var delete = await CliAsync(["delete", "101", "--token", read]);
        var get = await CliAsync(["get", "101", "--token", read]);

        Assert.True(delete.ExitCode == ExitCodes.ForStatus((int)StatusCode.PermissionDenied), delete.ToString());
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.StartsWith("Order 101:", get.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWriteStreamRefusedWhileTheClientIsStillSendingEndsWithTheRefusal_NotTheBrokenStream()
    {
        // The server refuses on the headers; a client still writing a thousand orders sees its writes fail first.
        var orders = Path.Combine(Path.GetDirectoryName(secured.OrdersFile)!, $"many-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(orders, System.Text.Json.JsonSerializer.Serialize(
            Enumerable.Range(1, 1000).Select(i => new { id = $"refused-{i}", items = RefusedItems, price = 1, description = new string('d', 500) })));

        var run = await CliAsync(["update", orders, "--token", secured.Tokens.Mint("orders.read")]);

        Assert.True(run.ExitCode == ExitCodes.ForStatus((int)StatusCode.PermissionDenied), run.ToString());
        Assert.Contains("ERROR: PERMISSION_DENIED (7)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    [Requires(Need.Process)]
    public async Task TheTokenMayComeFromTheEnvironment_WhereProcessListingsDoNotShowIt()
    {
        var environment = new Dictionary<string, string> { ["Orders__Client__Token"] = secured.Tokens.Mint("orders.read") };

        var run = await ClientProcess.RunAsync(["get", "102", "--address", secured.Address.ToString(), "--ca", secured.Certificate.CertificatePath], environment: environment);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("Order 102:", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthChecksAndReflectionNeedNoToken()
    {
        using var http = new HttpClient(TrustingHandler()) { BaseAddress = secured.Address, DefaultRequestVersion = HttpVersion.Version20 };
        using var channel = GrpcChannel.ForAddress(secured.Address, new GrpcChannelOptions { HttpHandler = TrustingHandler(), DisposeHttpClient = true });

        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
        var grpcHealth = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        using var reflection = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        var anonymousOrder = await Record.ExceptionAsync(() => new OrderManagement.OrderManagementClient(channel).getOrderAsync(new StringValue { Value = "102" }).ResponseAsync);

        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version20), (health.StatusCode, health.Version));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, grpcHealth.Status);
        Assert.Contains("ecommerce.OrderManagement", reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(anonymousOrder).StatusCode);
    }

    [Fact]
    public async Task TheFirstRefusalStands_ACallerWithoutATokenLearnsNothingOfHowItsMessageWasRead()
    {
        using var http = new HttpClient(TrustingHandler()) { BaseAddress = secured.Address };
        // A field number of zero: not a message of any type.
        var unreadable = RawGrpcFrames.Frame([0x00, 0x01]);

        var anonymous = await RawGrpc.SendAsync(http, "getOrder", unreadable, Guid.NewGuid().ToString("N"));
        var withToken = await RawGrpc.SendAsync(http, "getOrder", unreadable, Guid.NewGuid().ToString("N"),
            new Dictionary<string, string> { ["authorization"] = $"Bearer {secured.Tokens.Mint("orders.read")}" });

        Assert.Equal((StatusCode.Unauthenticated, "No bearer token"), (anonymous.Status, anonymous.Detail[.."No bearer token".Length]));
        Assert.Equal(StatusCode.InvalidArgument, withToken.Status);
        Assert.StartsWith("The request message could not be parsed as google.protobuf.StringValue", withToken.Detail, StringComparison.Ordinal);
    }

    private string StartedMetadata(string requestId) => (string)Api.Services.GetFakeLogCollector().GetSnapshot()
        .Single(r => r.Id.Name == "GrpcCallStarted" && Equals(r.GetStructuredStateValue("OrdersRequestId"), requestId))
        .GetStructuredStateValue("Metadata")!;

    private string? Token(string kind) => kind switch
    {
        "missing" => null,
        // Past the validator's five minutes of clock skew.
        "expired" => secured.Tokens.Mint(BothScopes, expiresIn: TimeSpan.FromMinutes(-10)),
        "wrong-audience" => secured.Tokens.Mint(BothScopes, audience: "some-other-api"),
        "wrong-issuer" => secured.Tokens.Mint(BothScopes, issuer: "some-other-issuer"),
        "bad-signature" => secured.Tokens.Mint(BothScopes, signingKey: RandomNumberGenerator.GetBytes(32)),
        "malformed" => "not-a-jwt",
        "no-scope" => secured.Tokens.Mint(scope: null),
        "read-as-scp" => secured.Tokens.Mint("orders.read", scopeClaim: "scp"),
        "read" => secured.Tokens.Mint("orders.read"),
        "write" => secured.Tokens.Mint("orders.write"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string ExpectedDetail(string kind) => kind switch
    {
        "missing" => "No bearer token",
        "expired" => "The bearer token has expired.",
        "wrong-audience" => "The bearer token is meant for another audience.",
        "wrong-issuer" => "The bearer token comes from an issuer this service does not trust.",
        "bad-signature" => "The bearer token's signature does not verify.",
        "malformed" => "The bearer token is not a well-formed JWT.",
        "no-scope" => "The bearer token lacks the scope this method needs: orders.read or orders.write.",
        _ => "The bearer token lacks the scope this method needs: orders.write.",
    };

    /// <summary>The real command line, in process, over TLS to the secured API, trusting the test certificate.</summary>
    private Task<CommandResult> CliAsync(string[] args) =>
        InProcessOrdersClient.RunCommandLineAsync([.. args, "--address", secured.Address.ToString(), "--ca", secured.Certificate.CertificatePath]);

    private SocketsHttpHandler TrustingHandler()
    {
        var pem = File.ReadAllText(secured.Certificate.CertificatePath);
        using var trusted = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        var thumbprint = trusted.Thumbprint;
        return new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint } };
    }
}
