using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Where Kestrel is told to listen, read with Kestrel's own precedence: the <c>Kestrel:Endpoints</c> entries; else
/// <c>urls</c> (--urls, ASPNETCORE_URLS); else <c>http_ports</c> and <c>https_ports</c> (HTTP_PORTS,
/// ASPNETCORE_HTTP_PORTS, ...) as wildcard URLs. Every app that needs its own addresses reads them here.
/// </summary>
/// <param name="Endpoints">The <c>Kestrel:Endpoints</c> entries (each with Url, and optionally Protocols).</param>
/// <param name="Urls">The URLs of <c>urls</c>, the one address setting Aspire's dashboard (and so the insights) honours.</param>
/// <param name="PortUrls">The port lists as wildcard URLs (<c>http://+:8080</c>).</param>
public sealed record KestrelAddresses(IReadOnlyList<IConfigurationSection> Endpoints, IReadOnlyList<string> Urls, IReadOnlyList<string> PortUrls)
{
    public const string EndpointsSection = "Kestrel:Endpoints";

    public const string UrlsKey = "urls";

    /// <summary>What Kestrel listens on when no <c>Kestrel:Endpoints</c> entry is configured: <see cref="Urls"/>, else <see cref="PortUrls"/>.</summary>
    public IReadOnlyList<string> UrlsOrPorts => Urls.Count > 0 ? Urls : PortUrls;

    /// <summary>True when an address comes the standard ASP.NET Core way, so the app's own default stays unused.</summary>
    public bool AreConfigured => Endpoints.Count > 0 || UrlsOrPorts.Count > 0;

    public static KestrelAddresses Read(IConfiguration configuration) => new(
        [.. configuration.GetSection(EndpointsSection).GetChildren()],
        List(configuration[UrlsKey]),
        [.. Ports(configuration["http_ports"], "http"), .. Ports(configuration["https_ports"], "https")]);

    private static string[] List(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IEnumerable<string> Ports(string? ports, string scheme) => List(ports).Select(port => $"{scheme}://+:{port}");
}
