using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Where a running app answers its own health endpoint, seen from inside its container: the first http:// address it
/// listens on, on loopback, and whether that endpoint speaks HTTP/2 only (then h2c with prior knowledge).
/// </summary>
public sealed record HealthCheckTarget(Uri BaseAddress, bool Http2Only)
{
    /// <summary>The first http:// address Kestrel listens on (<see cref="KestrelAddresses"/>), else the app's <paramref name="defaultUrl"/>.</summary>
    /// <param name="endpointProtocols">What the app's endpoints speak unless a Kestrel:Endpoints entry says otherwise.</param>
    public static HealthCheckTarget FromKestrelConfiguration(IConfiguration configuration, string defaultUrl, HttpProtocols endpointProtocols)
    {
        var addresses = KestrelAddresses.Read(configuration);
        if (addresses.Endpoints.Count > 0)
        {
            var http = addresses.Endpoints.FirstOrDefault(endpoint => IsHttp(ListeningUrls.TryParse(endpoint["Url"] ?? "")))
                ?? throw new InvalidOperationException($"{KestrelAddresses.EndpointsSection} has no http:// endpoint to probe.");
            return new(Loopback(ListeningUrls.TryParse(http["Url"]!)!), http.GetValue("Protocols", endpointProtocols) == HttpProtocols.Http2);
        }

        return FirstHttp(addresses.UrlsOrPorts.Count > 0 ? addresses.UrlsOrPorts : [defaultUrl], endpointProtocols == HttpProtocols.Http2);
    }

    /// <summary>The first http:// address among <paramref name="urls"/>; an https-only app cannot be probed this way.</summary>
    public static HealthCheckTarget FirstHttp(IEnumerable<string> urls, bool http2Only)
    {
        var listed = urls.ToList();
        var http = listed.Select(ListeningUrls.TryParse).FirstOrDefault(IsHttp)
            ?? throw new InvalidOperationException($"No http:// address to probe among '{string.Join(';', listed)}'.");
        return new(Loopback(http), http2Only);
    }

    private static bool IsHttp(Uri? url) => url?.Scheme == Uri.UriSchemeHttp;

    /// <summary>
    /// A wildcard host or a name listens on every interface, loopback included, so the probe goes to 127.0.0.1 on
    /// the same port; a specific IP address listens on that address only and is probed as configured.
    /// </summary>
    private static Uri Loopback(Uri url)
    {
        var specific = IPAddress.TryParse(url.Host.Trim('[', ']'), out var address)
            && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any);
        return new UriBuilder(Uri.UriSchemeHttp, specific ? url.Host : IPAddress.Loopback.ToString(), url.Port).Uri;
    }
}
