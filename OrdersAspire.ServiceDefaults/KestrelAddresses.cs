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

    // What the port lists listen on: every address.
    private const string WildcardHost = "://+:";

    /// <summary>What Kestrel listens on when no <c>Kestrel:Endpoints</c> entry is configured: <see cref="Urls"/>, else <see cref="PortUrls"/>.</summary>
    public IReadOnlyList<string> UrlsOrPorts => Urls.Count > 0 ? Urls : PortUrls;

    /// <summary>True when an address comes the standard ASP.NET Core way, so the app's own default stays unused.</summary>
    public bool AreConfigured => Endpoints.Count > 0 || UrlsOrPorts.Count > 0;

    public static KestrelAddresses Read(IConfiguration configuration) => new(
        [.. configuration.GetSection(EndpointsSection).GetChildren()],
        List(configuration[UrlsKey]),
        [.. Ports(configuration["http_ports"], "http"), .. Ports(configuration["https_ports"], "https")]);

    /// <summary>
    /// Refuses, naming its key, an address Kestrel would not listen on as written. Kestrel reads a port it cannot parse
    /// as part of the host and then listens on every interface at port 80 ("http://127.0.0.1:5O51" becomes http://[::]:80),
    /// and ends with a stack trace on a missing scheme or a port out of range.
    /// </summary>
    /// <exception cref="BadSettingException">The first address that is not one.</exception>
    public void ThrowIfUnusable()
    {
        var addresses = Endpoints.Select(endpoint => ($"{endpoint.Path}:Url", endpoint["Url"] ?? ""))
            .Concat(Urls.Select(url => (UrlsKey, url)));
        foreach (var (key, url) in addresses)
        {
            if (WhyUnusable(url) is { } reason)
            {
                throw Unusable(key, url, reason);
            }
        }

        foreach (var url in PortUrls)
        {
            // Each is "<scheme>://+:<port>", as Ports builds it.
            var hostStart = url.IndexOf(WildcardHost, StringComparison.Ordinal);
            var (scheme, port) = (url[..hostStart], url[(hostStart + WildcardHost.Length)..]);
            if (!IsPort(port))
            {
                throw new BadSettingException($"{scheme}_ports: '{port}' is not a port: a number from 0 to 65535 is.");
            }
        }
    }

    /// <summary>"urls: 'http://127.0.0.1:5O51' is not an address to listen on: …": the refusal of an address setting.</summary>
    public static BadSettingException Unusable(string key, string url, string reason) =>
        new($"{key}: '{url}' is not an address to listen on: {reason} (e.g. http://127.0.0.1:5000).");

    /// <summary>Why Kestrel cannot listen on <paramref name="url"/> as its writer meant it, or null when it can.</summary>
    public static string? WhyUnusable(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return "it starts with no http:// or https://";
        }

        var scheme = url[..schemeEnd];
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            return $"'{scheme}' is not http or https";
        }

        var authority = url[(schemeEnd + 3)..];
        // Unix sockets and named pipes carry a path, not a host and port.
        if (authority.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || authority.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var pathStart = authority.IndexOf('/', StringComparison.Ordinal);
        var hostAndPort = pathStart < 0 ? authority : authority[..pathStart];
        var hostEnd = hostAndPort.StartsWith('[') ? hostAndPort.IndexOf(']', StringComparison.Ordinal) + 1 : hostAndPort.IndexOf(':', StringComparison.Ordinal);
        if (hostEnd == 0)
        {
            return hostAndPort.StartsWith('[') ? "its IPv6 host has no closing ]" : "it names no host";
        }

        if (hostEnd < 0 || hostEnd == hostAndPort.Length)
        {
            // No port: Kestrel takes the scheme's own (80 or 443), as a browser would.
            return null;
        }

        return hostAndPort[hostEnd] == ':' && IsPort(hostAndPort[(hostEnd + 1)..])
            ? null
            : $"'{hostAndPort[hostEnd..]}' after the host is not ':' and a port from 0 to 65535";
    }

    private static bool IsPort(string text) =>
        text.Length is > 0 and <= 5 && text.All(char.IsAsciiDigit) && int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) <= 65535;

    private static string[] List(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IEnumerable<string> Ports(string? ports, string scheme) => List(ports).Select(port => $"{scheme}{WildcardHost}{port}");
}
