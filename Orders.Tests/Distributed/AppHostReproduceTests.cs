using System.Runtime.Versioning;
using System.Text.Json;
using Orders.Tests.GrpcInsights;
using Orders.Tests.Infrastructure;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.Shared;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Distributed;

/// <summary>
/// Under the AppHost, Orders.Api captures request messages and the insights (following the Aspire dashboard) serve
/// the scenario's calls with their reproduce lines; the client line, run against the running app, ends as the call did.
/// </summary>
[Requires(Need.AppHost)]
[SupportedOSPlatform("linux")]
public sealed class AppHostReproduceTests : IDisposable
{
    private readonly DirectoryInfo dataDirectory = Directory.CreateTempSubdirectory("orders-apphost-");

    [Fact]
    public async Task TheScenariosNotFoundCall_HasAClientLineThatEndsNotFoundAgain()
    {
        // 101 stays deleted from the scenario's "delete 101" until the next run's prepare step stores it again. A pause
        // of minutes keeps the repeated line inside that window; with 5 s it raced the next run on a busy machine.
        using var host = AppHostProcess.Start(["--data-dir", dataDirectory.FullName, "--loop-interval", "2m"]);
        using var http = new HttpClient { BaseAddress = await AppHostProcessTests.InsightsUrlAsync(host), Timeout = TimeSpan.FromSeconds(10) };

        var call = await Eventually.HoldsAsync(
            () => NotFoundCallAsync(http),
            c => c.ValueKind == JsonValueKind.Object,
            "a NOT_FOUND getOrder of the scenario with its reproduce lines",
            timeoutSeconds: 240);
        var line = call.GetProperty("reproduce").Str("client");
        var command = new ReproduceOptions().ClientCommand;
        Assert.StartsWith($"{command} --address http://", line, StringComparison.Ordinal);
        Assert.Contains(" -max-time ", call.GetProperty("reproduce").Str("grpcurl"), StringComparison.Ordinal);

        // The default command builds the client from the repository's root; the built one is the same program.
        var client = RepositoryPaths.ProjectOutput("Orders.Client");
        var repeat = await ExternalCommand.RunAsync(
            "bash", ["-c", $"dotnet {client}{line[command.Length..]}"], TimeSpan.FromSeconds(60),
            new Dictionary<string, string?> { ["services__orders-api__http__0"] = null }, Path.GetDirectoryName(client));

        Assert.True(repeat.ExitCode == ExitCodes.ForStatus(GrpcStatusNames.CodeOf("NOT_FOUND")!.Value), $"`{line}` {repeat}");
    }

    /// <summary>A NOT_FOUND getOrder with both spans and its lines; default while there is none yet, or the insights are still starting.</summary>
    private static async Task<JsonElement> NotFoundCallAsync(HttpClient http)
    {
        try
        {
            return (await http.GetJsonAsync("/api/grpc/calls?method=getOrder&status=NOT_FOUND")).EnumerateArray()
                .FirstOrDefault(c => c.GetProperty("clientSpanId").ValueKind == JsonValueKind.String && c.GetProperty("reproduce").ValueKind == JsonValueKind.Object);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return default;
        }
    }

    public void Dispose()
    {
        try
        {
            dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A process of the app may still be closing a file; a leftover temp folder is harmless.
        }
    }
}
