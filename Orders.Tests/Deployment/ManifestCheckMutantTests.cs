using System.Text.Json.Nodes;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Deployment;

/// <summary>
/// Each check of <see cref="ManifestChecks"/> catching the break it is for: the dev rendering (which passes them all,
/// KubernetesManifestTests) changed in one place, and the check naming what is wrong.
/// </summary>
[Requires(Need.Process)]
public sealed class ManifestCheckMutantTests(RenderedManifests rendered) : IClassFixture<RenderedManifests>
{
    private sealed record Mutant(Action<Manifests> Break, Func<Manifests, IEnumerable<string>> Check, string Reported);

    private static readonly Dictionary<string, Mutant> Mutants = new()
    {
        ["orders-api without a liveness probe"] = new(
            m => Api(m).Remove("livenessProbe"), ManifestChecks.Probes, "container orders-api: no livenessProbe"),
        ["grpc-insights without a readiness probe"] = new(
            m => m.Container("Deployment", "grpc-insights", "grpc-insights").Remove("readinessProbe"), ManifestChecks.Probes, "grpc-insights: no readinessProbe"),
        ["orders-api readiness over HTTP/1.1"] = new(
            m => Api(m)["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/health", ["port"] = 8080 } },
            ManifestChecks.Probes, "readinessProbe is not a grpc probe"),
        ["postgres probe on a port it does not listen on"] = new(
            m => m.Container("StatefulSet", "postgres", "postgres")["livenessProbe"] = new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = 5433 } },
            ManifestChecks.Probes, "livenessProbe asks a port the container does not listen on"),
        ["orders-api liveness checking the store"] = new(
            m => Api(m)["livenessProbe"]!["grpc"]!["service"] = "", ManifestChecks.OrdersApiHealthProbes, "orders-api livenessProbe"),
        ["orders-api readiness skipping the store"] = new(
            m => Api(m)["readinessProbe"]!["grpc"]!["service"] = "liveness", ManifestChecks.OrdersApiHealthProbes, "orders-api readinessProbe"),
        ["postgres without a memory limit"] = new(
            m => m.Container("StatefulSet", "postgres", "postgres")["resources"]!["limits"]!.AsObject().Remove("memory"),
            ManifestChecks.Resources, "container postgres: no memory limits"),
        ["orders-client without a CPU request"] = new(
            m => Client(m)["resources"]!["requests"]!.AsObject().Remove("cpu"), ManifestChecks.Resources, "orders-client: no cpu requests"),
        ["a writable root filesystem"] = new(
            m => m.Container("Deployment", "grpc-insights", "grpc-insights")["securityContext"]!["readOnlyRootFilesystem"] = false,
            ManifestChecks.SecurityContexts, "grpc-insights: root filesystem not read-only"),
        ["a read-only root without /tmp"] = new(
            m => Api(m)["volumeMounts"]!.AsArray().Clear(), ManifestChecks.SecurityContexts, "orders-api: read-only root without a writable /tmp"),
        ["capabilities kept"] = new(
            m => Client(m)["securityContext"]!.AsObject().Remove("capabilities"), ManifestChecks.SecurityContexts, "orders-client: capabilities not dropped"),
        ["privilege escalation allowed"] = new(
            m => Client(m)["securityContext"]!["allowPrivilegeEscalation"] = true, ManifestChecks.SecurityContexts, "orders-client: privilege escalation"),
        ["a container back to root"] = new(
            m => Api(m)["securityContext"]!["runAsUser"] = 0, ManifestChecks.SecurityContexts, "orders-api: runs as root"),
        ["a pod without runAsNonRoot"] = new(
            m => m.PodTemplate("StatefulSet", "postgres").Spec["securityContext"]!.AsObject().Remove("runAsNonRoot"),
            ManifestChecks.SecurityContexts, "StatefulSet/postgres: not runAsNonRoot"),
        ["a pod without seccomp"] = new(
            m => m.PodTemplate("Deployment", "aspire-dashboard").Spec["securityContext"]!.AsObject().Remove("seccompProfile"),
            ManifestChecks.SecurityContexts, "Deployment/aspire-dashboard: seccompProfile"),
        ["a service-account token mounted"] = new(
            m => m.PodTemplate("Deployment", "orders-api").Spec["automountServiceAccountToken"] = true,
            ManifestChecks.SecurityContexts, "Deployment/orders-api: automountServiceAccountToken"),
        ["the headless Service without h2c"] = new(
            m => Port(m, "orders-api-headless").Remove("appProtocol"), ManifestChecks.ServicePorts, "Service orders-api-headless port grpc: reaches a gRPC port without appProtocol"),
        ["the dashboard's OTLP port without h2c"] = new(
            m => Port(m, "aspire-dashboard", 1)["appProtocol"] = "http", ManifestChecks.ServicePorts, "Service aspire-dashboard port otlp-grpc: reaches a gRPC port"),
        ["a Service port aimed at no container port"] = new(
            m => Port(m, "orders-api")["targetPort"] = "http", ManifestChecks.ServicePorts, "Service orders-api port grpc: targets no port"),
        ["a Service selecting no pods"] = new(
            m => m.Get("Service", "postgres")["spec"]!["selector"]!["app.kubernetes.io/name"] = "postgresql",
            ManifestChecks.ServiceSelectors, "Service postgres: selects no pod template"),
        ["the connection string as a literal"] = new(
            m => ApiEnv(m, "ConnectionStrings__orders").ReplaceWith(new JsonObject { ["name"] = "ConnectionStrings__orders", ["value"] = "Host=postgres;Password=x" }),
            ManifestChecks.SecretsFromSecretRefs, "env ConnectionStrings__orders: not from a secretKeyRef"),
        ["the OTLP key written into the headers"] = new(
            m => ApiEnv(m, "OTEL_EXPORTER_OTLP_HEADERS")["value"] = "x-otlp-api-key=dev-otlp-api-key",
            ManifestChecks.SecretsFromSecretRefs, "env OTEL_EXPORTER_OTLP_HEADERS: holds a literal"),
        ["the OTLP headers before the key they expand"] = new(
            m =>
            {
                var env = Api(m)["env"]!.AsArray();
                var headers = ApiEnv(m, "OTEL_EXPORTER_OTLP_HEADERS");
                env.Remove(headers);
                env.Insert(0, headers);
            },
            ManifestChecks.SecretsFromSecretRefs, "env OTEL_EXPORTER_OTLP_HEADERS: holds a literal"),
        ["a secretKeyRef to a key the Secret lacks"] = new(
            m => ApiEnv(m, "ConnectionStrings__orders")["valueFrom"]!["secretKeyRef"]!["key"] = "connectionString",
            ManifestChecks.SecretRefsResolve, "env ConnectionStrings__orders: Secret orders-store-"),
        ["the HPA aimed at another Deployment"] = new(
            m => m.Get("HorizontalPodAutoscaler", "orders-api")["spec"]!["scaleTargetRef"]!["name"] = "orders-client",
            ManifestChecks.OrdersApiScaling, "0 HorizontalPodAutoscalers scale Deployment orders-api"),
        ["the HPA down to one pod"] = new(
            m => m.Get("HorizontalPodAutoscaler", "orders-api")["spec"]!["minReplicas"] = 1, ManifestChecks.OrdersApiScaling, "at least two pods"),
        ["replicas fixed beside the HPA"] = new(
            m => m.Get("Deployment", "orders-api")["spec"]!["replicas"] = 3, ManifestChecks.OrdersApiScaling, "sets replicas"),
        ["the PDB over the client's pods"] = new(
            m => m.Get("PodDisruptionBudget", "orders-api")["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/name"] = "orders-client",
            ManifestChecks.OrdersApiScaling, "covers [Deployment/orders-client]"),
        ["the PDB without a budget"] = new(
            m => m.Get("PodDisruptionBudget", "orders-api")["spec"]!.AsObject().Remove("maxUnavailable"),
            ManifestChecks.OrdersApiScaling, "sets neither minAvailable nor maxUnavailable"),
        ["a Service without a selector"] = new(
            m => m.Get("Service", "grpc-insights")["spec"]!.AsObject().Remove("selector"),
            ManifestChecks.ServiceSelectors, "Service grpc-insights: selects no pod template"),
        ["the headless Service given a cluster IP"] = new(
            m => m.Get("Service", "orders-api-headless")["spec"]!.AsObject().Remove("clusterIP"),
            ManifestChecks.ClientBalancesOverHeadlessService, "is not a headless Service"),
        ["the headless Service publishing unready pods"] = new(
            m => m.Get("Service", "orders-api-headless")["spec"]!["publishNotReadyAddresses"] = true,
            ManifestChecks.ClientBalancesOverHeadlessService, "is not a headless Service"),
        ["the client aimed at the ClusterIP Service"] = new(
            m => Client(m)["args"]!.AsArray()[4] = "dns:///orders-api:8080", ManifestChecks.ClientBalancesOverHeadlessService, "is not a headless Service"),
        ["the client without dns:///"] = new(
            m => Client(m)["args"]!.AsArray()[4] = "http://orders-api-headless:8080", ManifestChecks.ClientBalancesOverHeadlessService, "is not dns:///"),
        ["OTLP sent to the dashboard's UI port"] = new(
            m => ClientEnv(m, "OTEL_EXPORTER_OTLP_ENDPOINT")["value"] = "http://aspire-dashboard:18888",
            ManifestChecks.OtlpExportReachesDashboard, "orders-client: OTLP endpoint"),
        ["OTLP spoken as http/protobuf"] = new(
            m => ApiEnv(m, "OTEL_EXPORTER_OTLP_PROTOCOL")["value"] = "http/protobuf", ManifestChecks.OtlpExportReachesDashboard, "orders-api: OTLP endpoint"),
        ["OTLP sent with another key than the dashboard checks"] = new(
            m => ClientEnv(m, "DASHBOARD_OTLP_API_KEY")["valueFrom"]!["secretKeyRef"]!["key"] = "api-key",
            ManifestChecks.OtlpExportReachesDashboard, "orders-client: OTLP header"),
    };

    public static TheoryData<string> Names => new(Mutants.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void TheCheckReportsTheBreak(string name)
    {
        var mutant = Mutants[name];
        var manifests = rendered[RenderedManifests.Dev].Clone();
        Assert.Empty(mutant.Check(manifests));

        mutant.Break(manifests);

        var problems = mutant.Check(manifests).ToList();
        Assert.True(problems.Any(p => p.Contains(mutant.Reported, StringComparison.Ordinal)), $"Reported: [{string.Join("; ", problems)}]");
    }

    private static JsonObject Api(Manifests m) => m.Container("Deployment", "orders-api", "orders-api");

    private static JsonObject Client(Manifests m) => m.Container("Deployment", "orders-client", "orders-client");

    private static JsonObject ApiEnv(Manifests m, string name) => Json.Items(Api(m)["env"]).Single(e => Json.Text(e["name"]) == name);

    private static JsonObject ClientEnv(Manifests m, string name) => Json.Items(Client(m)["env"]).Single(e => Json.Text(e["name"]) == name);

    private static JsonObject Port(Manifests m, string service, int index = 0) => m.Get("Service", service)["spec"]!["ports"]![index]!.AsObject();
}
