using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;

namespace Orders.Tests.Deployment;

/// <summary>
/// The app's images, built once per test run by deploy/images/build.sh --local-base (no registry pulls) under the tag
/// <see cref="Tag"/>, with the stand-ins for PostgreSQL and the Aspire dashboard.
/// </summary>
public static class ContainerImages
{
    public const string Tag = "test";
    public const string Postgres = "localhost/orders-aspire-base/postgres:15";

    private static readonly Lazy<Task> Build = new(() => BuildAsync());

    public static Task EnsureBuiltAsync() => Build.Value;

    public static string Of(string name) => $"localhost/orders-aspire/{name}:{Tag}";

    /// <summary>The version of the Aspire.Dashboard.Sdk package the AppHost runs (its folder): build.sh tags the dashboard image with it.</summary>
    public static string AspireDashboard { get; } =
        $"localhost/orders-aspire/aspire-dashboard:{Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(OrdersAspire.TestHarness.AspireDashboard.ExecutablePath))!)}";

    private static async Task BuildAsync() =>
        (await ExternalCommand.RunAsync(
            Path.Combine(RepositoryPaths.Root, "deploy", "images", "build.sh"), ["--local-base"], TimeSpan.FromMinutes(10),
            new Dictionary<string, string?> { ["CONTAINERS_CONF"] = Podman.ContainersConf, ["ORDERS_IMAGE_TAG"] = Tag })).EnsureSuccess();
}

/// <summary>Tests that run containers: one at a time, after the parallel tests, sharing the Compose app.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PodmanContainers : ICollectionFixture<ComposeApp>
{
    public const string Name = "Containers under Podman";
}
