using Orders.Client.Commands;
using Orders.Tests.Client;
using Orders.Tests.Infrastructure;
using OrdersAspire.Shared;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Api;

/// <summary>
/// TLS alone (authentication off) on real Kestrel: an https:// URL with Kestrel's default certificate from configuration,
/// HTTP/2 negotiated by ALPN, and what the client says when it does not trust the Certificate.
/// </summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly Uri address = new($"https://127.0.0.1:{FreePort.Next()}");

    private SelfSignedCertificate Certificate { get; } = new();

    private OrdersApiFactory Api { get; set; } = null!;

    public Task InitializeAsync()
    {
        Api = new OrdersApiFactory(new Dictionary<string, string?>
        {
            ["urls"] = address.ToString(),
            ["Kestrel:Certificates:Default:Path"] = Certificate.CertificatePath,
            ["Kestrel:Certificates:Default:KeyPath"] = Certificate.KeyPath,
        });
        Api.UseKestrel();
        Api.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        Certificate.Dispose();
    }

    [Fact]
    public async Task AnHttpsUrlWithTheDefaultCertificate_ServesTheClientThatTrustsItsCa()
    {
        var run = await CliAsync("get", "102", "--ca", Certificate.CertificatePath);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("Order 102:", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutCa_TheSelfSignedCertificateIsRefused_AndTheHintNamesCa()
    {
        var run = await CliAsync("get", "102");

        Assert.True(run.ExitCode == ExitCodes.ForStatus((int)Grpc.Core.StatusCode.Internal), run.ToString());
        Assert.Contains("hint: the server's TLS certificate is not trusted", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--ca", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACaFileWithoutACertificateIsAUsageError()
    {
        var run = await CliAsync("get", "102", "--ca", Certificate.KeyPath);

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Contains($"--ca: '{Certificate.KeyPath}' holds no PEM certificate", run.Stderr, StringComparison.Ordinal);
    }

    private Task<CommandResult> CliAsync(params string[] args) => InProcessOrdersClient.RunCommandLineAsync([.. args, "--address", address.ToString()]);
}
