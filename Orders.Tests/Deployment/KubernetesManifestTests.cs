using System.Text.Json.Nodes;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Deployment;

/// <summary>
/// deploy/k8s as kubectl kustomize renders it: what every rendering promises (probes, limits, securityContext, h2c,
/// secrets, scaling, client-side balancing), then what sets the overlays and the dashboard component apart.
/// No API server runs here; ManifestCheckMutantTests shows each check catching the break it is for.
/// </summary>
[Requires(Need.Process)]
public sealed class KubernetesManifestTests(RenderedManifests rendered) : IClassFixture<RenderedManifests>
{
    public static TheoryData<string> Renderings => new(RenderedManifests.All);

    [Theory]
    [MemberData(nameof(Renderings))]
    public void EveryListeningContainerHasReadinessAndLivenessProbesOfTheRightKind(string directory)
    {
        Assert.Empty(ManifestChecks.Probes(rendered[directory]));
        Assert.Empty(ManifestChecks.OrdersApiHealthProbes(rendered[directory]));
    }

    [Fact]
    public void TheClientListensOnNothingSoHasNoProbeToAnswer()
    {
        var client = rendered[RenderedManifests.Dev].Container("Deployment", "orders-client", "orders-client");

        Assert.Null(client["ports"]);
        Assert.Null(client["readinessProbe"]);
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void EveryContainerRequestsAndLimitsCpuAndMemory(string directory) =>
        Assert.Empty(ManifestChecks.Resources(rendered[directory]));

    [Theory]
    [MemberData(nameof(Renderings))]
    public void EveryPodRunsAsNonRootWithNoCapabilitiesAndAReadOnlyRoot(string directory) =>
        Assert.Empty(ManifestChecks.SecurityContexts(rendered[directory]));

    [Theory]
    [MemberData(nameof(Renderings))]
    public void EveryServicePortReachesItsPodsAndGrpcPortsDeclareH2c(string directory)
    {
        Assert.Empty(ManifestChecks.ServicePorts(rendered[directory]));
        Assert.Empty(ManifestChecks.ServiceSelectors(rendered[directory]));
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void SecretsComeFromSecretsOnly(string directory) =>
        Assert.Empty(ManifestChecks.SecretsFromSecretRefs(rendered[directory]));

    [Theory]
    [MemberData(nameof(Renderings))]
    public void TheHpaScalesOrdersApiAndThePdbCoversItsPods(string directory) =>
        Assert.Empty(ManifestChecks.OrdersApiScaling(rendered[directory]));

    [Theory]
    [MemberData(nameof(Renderings))]
    public void TheClientBalancesOverTheHeadlessService(string directory) =>
        Assert.Empty(ManifestChecks.ClientBalancesOverHeadlessService(rendered[directory]));

    [Fact]
    public void DevRunsPostgresAsAStatefulSetThatTheConnectionStringReaches()
    {
        var dev = rendered[RenderedManifests.Dev];
        var postgres = dev.Get("StatefulSet", "postgres");
        var claim = Assert.Single(Json.Items(postgres["spec"]!["volumeClaimTemplates"]));
        var container = dev.Container("StatefulSet", "postgres", "postgres");
        var dataMount = Json.Items(container["volumeMounts"]).Single(m => Json.Text(m["name"]) == Manifests.NameOf(claim));
        var pgdata = Json.Text(Json.Items(container["env"]).Single(e => Json.Text(e["name"]) == "PGDATA")["value"])!;
        Assert.StartsWith(Json.Text(dataMount["mountPath"]) + "/", pgdata, StringComparison.Ordinal);

        var service = dev.Get("Service", Json.Text(postgres["spec"]!["serviceName"])!);
        Assert.Equal("None", Json.Text(service["spec"]!["clusterIP"]));

        // The API's connection string names that Service and the password PostgreSQL was given.
        var connectionString = SecretValue(dev, dev.Container("Deployment", "orders-api", "orders-api"), "ConnectionStrings__orders");
        Assert.Contains($"Host={Manifests.NameOf(service)};", connectionString, StringComparison.Ordinal);
        Assert.Contains($"Password={SecretValue(dev, container, "POSTGRES_PASSWORD")};", connectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void EverySecretDevReferencesIsRendered() =>
        Assert.Empty(ManifestChecks.SecretRefsResolve(rendered[RenderedManifests.Dev]));

    [Fact]
    public void DevTurnsOnTheSamplesAndFaultInjectionTheScenarioNeeds()
    {
        var env = Env(rendered[RenderedManifests.Dev], "orders-api");

        Assert.Equal("true", env["Orders__SeedSampleData"]);
        Assert.Equal("true", env["Orders__FaultInjection__Enabled"]);
    }

    [Fact]
    public void ProdHasNoDatabaseAndNoSecretInTheRepo()
    {
        var prod = rendered[RenderedManifests.Prod];

        Assert.Empty(prod.OfKind("StatefulSet"));
        Assert.Empty(prod.OfKind("Secret"));
        var database = prod.Get("Service", "orders-db");
        Assert.Equal("ExternalName", Json.Text(database["spec"]!["type"]));
        // The one Secret an operator creates before applying (docs/deployment.md says how).
        Assert.Equal(["orders-store"], ManifestChecks.SecretsExpectedInTheCluster(prod));
    }

    [Fact]
    public void ProdPinsItsImagesAndRunsAtLeastThreeApiPods()
    {
        var prod = rendered[RenderedManifests.Prod];
        var images = prod.PodTemplates.SelectMany(p => p.Containers).Select(c => Json.Text(c["image"])!).ToList();

        Assert.NotEmpty(images);
        Assert.All(images, image => Assert.Matches(@"^registry\.example\.com/orders-aspire/[a-z-]+:\d+\.\d+\.\d+$", image));
        Assert.Equal(3, Json.Number(prod.Get("HorizontalPodAutoscaler", "orders-api")["spec"]!["minReplicas"]));
        var env = Env(prod, "orders-api");
        Assert.Equal("false", env["Orders__SeedSampleData"]);
        Assert.Equal("false", env["Orders__FaultInjection__Enabled"]);
    }

    [Fact]
    public void DevTagsItsOwnImagesDevAndPullsTheDashboardFromMicrosoft()
    {
        var images = rendered[RenderedManifests.Dev].PodTemplates.SelectMany(p => p.Containers).Select(c => Json.Text(c["image"])).Order();

        Assert.Equal(
            ["mcr.microsoft.com/dotnet/aspire-dashboard:13.6", "orders-aspire/grpc-insights:dev", "orders-aspire/orders-api:dev",
             "orders-aspire/orders-client:dev", "postgres:17"],
            images);
    }

    /// <summary>The insights read Insights:*; a variable left under the Aspire dashboard's Dashboard section stops them at start.</summary>
    [Fact]
    public void TheInsightsContainerSetsItsSettingsUnderInsights()
    {
        var names = Env(rendered[RenderedManifests.Dev], "grpc-insights").Keys.ToList();

        Assert.DoesNotContain(names, name => name.StartsWith("Dashboard__", StringComparison.Ordinal));
        Assert.Contains("Insights__Frontend__BrowserToken", names);
    }

    [Fact]
    public void TheDashboardComponentIsInDevAndExportsReachIt()
    {
        var dev = rendered[RenderedManifests.Dev];

        Assert.Equal(1, Json.Number(dev.Get("Deployment", "aspire-dashboard")["spec"]!["replicas"]));
        Assert.Equal(
            "http://aspire-dashboard:18888",
            Env(dev, "grpc-insights")["Insights__AspireDashboard__Url"]);
        Assert.NotNull(dev.Find("Service", "grpc-insights"));
        Assert.Empty(ManifestChecks.OtlpExportReachesDashboard(dev));
    }

    [Theory]
    [InlineData(RenderedManifests.Base)]
    [InlineData(RenderedManifests.Prod)]
    public void WithoutTheComponentThereIsNoDashboardAndNoExport(string directory)
    {
        var manifests = rendered[directory];

        Assert.Equal(["orders-api", "orders-client"], manifests.OfKind("Deployment").Select(Manifests.NameOf).Order());
        Assert.DoesNotContain(manifests.OfKind("Service"), s => Manifests.NameOf(s) is "aspire-dashboard" or "grpc-insights");
        Assert.All((string[])["orders-api", "orders-client"], workload =>
            Assert.DoesNotContain(Env(manifests, workload).Keys, name => name.StartsWith("OTEL_EXPORTER_OTLP", StringComparison.Ordinal)));
    }

    private static Dictionary<string, string?> Env(Manifests manifests, string deployment) =>
        Json.Items(manifests.Container("Deployment", deployment, deployment)["env"])
            .ToDictionary(e => Json.Text(e["name"])!, e => Json.Text(e["value"]));

    /// <summary>The decoded value a container's env var takes from its Secret.</summary>
    private static string SecretValue(Manifests manifests, JsonObject container, string variable) =>
        manifests.EnvValue(Json.Items(container["env"]).Single(e => Json.Text(e["name"]) == variable && e["valueFrom"]?["secretKeyRef"] is not null));
}
