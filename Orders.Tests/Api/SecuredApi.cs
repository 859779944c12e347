using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Api;

/// <summary>
/// Orders.Api on real Kestrel over TLS (a self-signed certificate from PEM files, configured the standard Kestrel way) with
/// bearer-token authentication on, called by the real client command line with --ca and --token.
/// </summary>
public sealed class SecuredApi : IAsyncLifetime
{
    public SelfSignedCertificate Certificate { get; } = new();

    public TestTokens Tokens { get; } = new();

    public OrdersApiFactory Api { get; private set; } = null!;

    public Uri Address { get; } = new($"https://127.0.0.1:{FreePort.Next()}");

    /// <summary>One order for <c>update</c>, the client-streaming call.</summary>
    public string OrdersFile => Path.ChangeExtension(Certificate.KeyPath, ".json");

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(OrdersFile, """[{"id":"secured-1","items":["Item - S"],"price":3,"description":"over TLS"}]""");
        var settings = new Dictionary<string, string?>(Tokens.ApiSettings)
        {
            ["Kestrel:Endpoints:grpc:Url"] = Address.ToString(),
            ["Kestrel:Endpoints:grpc:Certificate:Path"] = Certificate.CertificatePath,
            ["Kestrel:Endpoints:grpc:Certificate:KeyPath"] = Certificate.KeyPath,
        };
        Api = new OrdersApiFactory(settings);
        Api.UseKestrel();
        Api.StartServer();
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        Certificate.Dispose();
    }
}
