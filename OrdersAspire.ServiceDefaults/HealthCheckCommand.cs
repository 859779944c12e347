using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using OrdersAspire.Shared;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// <c>&lt;app&gt; healthcheck</c>: a container's health-check command (the .NET base images have no curl). Instead of
/// starting the host it reads the app's configuration as the host would, GETs the app's own <c>/health</c> on loopback,
/// prints one line and exits 0 when healthy (2xx), 1 otherwise.
/// </summary>
public static class HealthCheckCommand
{
    public const string Name = "healthcheck";

    // Well inside a Compose/Docker health-check timeout; a process that takes longer to answer /health is not healthy.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    // /health answers a word ("Healthy"); anything longer is cut, so the probe prints one short line.
    private const int MaxBodyShown = 200;

    public static bool IsRequested(string[] args) => args is [Name];

    /// <param name="findTarget">Where the app listens, decided from its configuration the way the app decides it.</param>
    public static async Task<int> RunAsync(Func<IConfiguration, HealthCheckTarget> findTarget)
    {
        Uri url;
        HealthCheckTarget target;
        try
        {
            // The host's own configuration sources (appsettings*.json, environment), without building the host.
            target = findTarget(WebApplication.CreateBuilder().Configuration);
            url = new Uri(target.BaseAddress, HealthEndpoints.HealthPath);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or InvalidDataException)
        {
            Console.WriteLine($"unhealthy: {ex.Message}");
            return ExitCodes.Failed;
        }

        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false })
        {
            Timeout = Timeout,
            MaxResponseContentBufferSize = 64 * 1024,
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, url)
        {
            // Plain http:// cannot negotiate HTTP/2: an HTTP/2-only endpoint needs it with prior knowledge (h2c).
            Version = target.Http2Only ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        try
        {
            using var response = await http.SendAsync(request);
            var body = (await response.Content.ReadAsStringAsync()).ReplaceLineEndings(" ").Trim();
            var healthy = response.IsSuccessStatusCode;
            Console.WriteLine($"{(healthy ? "healthy" : "unhealthy")}: {url} answered {(int)response.StatusCode} {body[..Math.Min(body.Length, MaxBodyShown)]}");
            return healthy ? ExitCodes.Success : ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            var reason = ex is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : ex.Message;
            Console.WriteLine($"unhealthy: {url}: {reason}");
            return ExitCodes.Failed;
        }
    }
}
