using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// A self-signed TLS server certificate for 127.0.0.1 and localhost, as PEM files in a temp folder (what a developer
/// would make with openssl): the certificate doubles as the CA a client is told to trust. Disposing deletes the folder.
/// </summary>
public sealed class SelfSignedCertificate : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("orders-tls-");

    public SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Orders.Api tests", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The certificate, PEM: Kestrel's Certificate:Path, and the client's --ca.</summary>
    public string CertificatePath => Path.Combine(directory.FullName, "orders-api.pem");

    /// <summary>The unencrypted PKCS#8 private key, PEM: Kestrel's Certificate:KeyPath.</summary>
    public string KeyPath => Path.Combine(directory.FullName, "orders-api.key");

    public void Dispose() => directory.Delete(recursive: true);
}
