using Orders.Tests.Distributed;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Deployment;

/// <summary>deploy/compose/compose.aspire.yaml is what generate-from-manifest.py makes of the AppHost's manifest today.</summary>
public sealed class ComposeManifestTests : IDisposable
{
    private static readonly string Generator = Path.Combine(RepositoryPaths.Root, "deploy", "compose", "generate-from-manifest.py");
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("orders-manifest-");

    [Fact]
    [Requires(Need.Python | Need.AppHost)]
    public async Task TheCommittedComposeFileIsGeneratedFromTheCurrentManifest()
    {
        var manifest = Path.Combine(directory.FullName, "aspire-manifest.json");
        using (var host = await AppHostProcess.RunToExitAsync(
            TimeSpan.FromSeconds(60), "--publisher", "manifest", "--output-path", manifest, "--store", "postgres", "--data-dir", directory.FullName))
        {
            Assert.True(host.ExitCode == 0, $"exit code {host.ExitCode}\nstderr:\n{host.Stderr}");
        }

        var generated = await GenerateAsync(manifest);

        var committed = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy", "compose", "compose.aspire.yaml"));
        Assert.True(committed == generated, "compose.aspire.yaml is stale: run deploy/compose/generate-from-manifest.py on a new manifest (docs/deployment.md, What comes from the Aspire manifest)");
        Assert.Contains("ConnectionStrings__orders: \"Host=postgres;Port=5432;Username=postgres;Password=${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env};Database=orders\"", generated, StringComparison.Ordinal);
        Assert.Contains("command: [\"scenario\", \"--loop\", \"5s\"]", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("https", generated, StringComparison.Ordinal);
    }

    /// <summary>The insights read Insights:*; a variable left under the Aspire dashboard's Dashboard section stops them at start.</summary>
    [Fact]
    public void TheInsightsServiceSetsItsSettingsUnderInsights()
    {
        var compose = Manifests.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "compose", "compose.yaml"))).Objects.Single();
        var names = compose["services"]!["grpc-insights"]!["environment"]!.AsObject().Select(variable => variable.Key).ToList();

        Assert.DoesNotContain(names, name => name.StartsWith("Dashboard__", StringComparison.Ordinal));
        Assert.Contains("Insights__Frontend__BrowserToken", names);
    }

    [Fact]
    [Requires(Need.Python)]
    public async Task ParametersBecomeComposeVariablesAndLiteralDollarsAreEscaped()
    {
        var manifest = await WriteManifestAsync("""
            {"resources": {
              "api-key": {"type": "parameter.v0", "value": "{api-key.inputs.value}", "inputs": {"value": {"type": "string", "secret": true}}},
              "shop": {"type": "project.v0", "path": "Shop.csproj", "args": ["--price", "$5"],
                       "env": {"KEY": "{api-key.value}", "PRICE": "costs $5", "SELF": "{shop.bindings.http.url}"},
                       "bindings": {"http": {"scheme": "http", "protocol": "tcp", "transport": "http2"}}}}}
            """);

        var generated = await GenerateAsync(manifest);

        Assert.Contains("command: [\"--price\", \"$$5\"]", generated, StringComparison.Ordinal);
        Assert.Contains("KEY: \"${API_KEY:?set API_KEY in .env}\"", generated, StringComparison.Ordinal);
        Assert.Contains("PRICE: \"costs $$5\"", generated, StringComparison.Ordinal);
        Assert.Contains("SELF: \"http://shop:8080\"", generated, StringComparison.Ordinal);
    }

    [Theory]
    // A container's TCP host has no Compose form.
    [InlineData("""
        {"resources": {
          "cache": {"type": "container.v0", "image": "redis", "bindings": {"tcp": {"scheme": "tcp", "protocol": "tcp", "transport": "tcp"}}},
          "shop": {"type": "project.v0", "path": "Shop.csproj", "env": {"CACHE": "{cache.bindings.tcp.host}"}}}}
        """, "cache.bindings.tcp.host: no Compose equivalent")]
    // The services serve plain h2c: an https binding would name an address nothing listens on.
    [InlineData("""
        {"resources": {
          "api": {"type": "project.v0", "path": "Api.csproj", "bindings": {"https": {"scheme": "https", "protocol": "tcp", "transport": "http2"}}},
          "shop": {"type": "project.v0", "path": "Shop.csproj", "env": {"API": "{api.bindings.https.url}"}}}}
        """, "api.bindings.https.url: not plain HTTP")]
    [Requires(Need.Python)]
    public async Task AnExpressionWithNoComposeEquivalentIsRefusedByName(string manifestJson, string refusal)
    {
        var manifest = await WriteManifestAsync(manifestJson);

        Assert.Contains(refusal, await RefusalAsync(manifest), StringComparison.Ordinal);
    }

    public void Dispose() => directory.Delete(recursive: true);

    private async Task<string> WriteManifestAsync(string json)
    {
        var path = Path.Combine(directory.FullName, "manifest.json");
        await File.WriteAllTextAsync(path, json);
        return path;
    }

    /// <summary>The generator's stderr for a manifest it must refuse (a non-zero exit).</summary>
    private async Task<string> RefusalAsync(string manifest)
    {
        var result = await ExternalCommand.RunAsync("/usr/bin/python3", [Generator, manifest, Path.Combine(directory.FullName, "out.yaml")], TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, result.ExitCode);
        return result.Stderr;
    }

    private async Task<string> GenerateAsync(string manifest)
    {
        var output = Path.Combine(directory.FullName, "compose.aspire.yaml");
        (await ExternalCommand.RunAsync("/usr/bin/python3", [Generator, manifest, output], TimeSpan.FromSeconds(30))).EnsureSuccess();
        return await File.ReadAllTextAsync(output);
    }
}
