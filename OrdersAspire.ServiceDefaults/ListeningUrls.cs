namespace Microsoft.Extensions.Hosting;

/// <summary>Reads the addresses Kestrel is told to listen on (<c>--urls</c>, ASPNETCORE_URLS, Kestrel:Endpoints) as URIs.</summary>
public static class ListeningUrls
{
    /// <summary>
    /// The URL as a <see cref="Uri"/>: Kestrel's wildcard hosts ("*", "+") are no valid URI hosts and read as 0.0.0.0,
    /// "any address". Null when it is not an absolute URL.
    /// </summary>
    public static Uri? TryParse(string url)
    {
        var normalized = url.Trim().Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        return Uri.TryCreate(normalized, UriKind.Absolute, out var uri) ? uri : null;
    }
}
