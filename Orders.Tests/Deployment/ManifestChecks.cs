using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Orders.Tests.Deployment;

/// <summary>
/// What deploy/k8s promises, checked over one rendering. Each check returns its problems (empty when it holds), so a
/// test can show both that the real rendering passes and that a rendering changed to break the promise does not.
/// </summary>
public static partial class ManifestChecks
{
    public const string H2c = "kubernetes.io/h2c";

    /// <summary>The container ports that speak gRPC over h2c: orders-api's calls and the dashboard's OTLP receiver.</summary>
    public static readonly (string Container, long Port)[] GrpcPorts = [("orders-api", 8080), ("aspire-dashboard", 18889)];

    /// <summary>Env vars that carry a secret, by name: they must come from a Secret, never a literal <c>value</c>.</summary>
    private static readonly string[] SecretNameParts = ["ConnectionStrings__", "Password", "PASSWORD", "ApiKey", "API_KEY", "Token"];

    /// <summary>Every container that listens has readiness and liveness probes on one of its ports; on an h2c-only port, gRPC probes.</summary>
    public static IEnumerable<string> Probes(Manifests manifests)
    {
        foreach (var pod in manifests.PodTemplates)
        {
            foreach (var container in pod.Containers)
            {
                var ports = Ports(container);
                if (ports.Count == 0)
                {
                    continue; // listens on nothing: there is nothing for a probe to ask
                }

                var name = $"{pod.Workload} container {Json.Text(container["name"])}";
                foreach (var kind in (string[])["readinessProbe", "livenessProbe"])
                {
                    if (container[kind] is not JsonObject probe)
                    {
                        yield return $"{name}: no {kind}";
                        continue;
                    }

                    var port = ProbePort(probe, ports);
                    if (probe["exec"] is null && (port is null || ports.All(p => p.Number != port)))
                    {
                        yield return $"{name}: {kind} asks a port the container does not listen on";
                    }
                    else if (IsGrpcPort(container, port) && probe["grpc"] is null)
                    {
                        yield return $"{name}: {kind} is not a grpc probe, and HTTP/1.1 cannot reach its h2c-only port";
                    }
                }
            }
        }
    }

    /// <summary>orders-api's grpc.health.v1 probes: service "" (every check, the store too) for startup and readiness, "liveness" (the process) for liveness.</summary>
    public static IEnumerable<string> OrdersApiHealthProbes(Manifests manifests)
    {
        var container = manifests.Container("Deployment", "orders-api", "orders-api");
        foreach (var (kind, service) in ((string, string)[])[("startupProbe", ""), ("readinessProbe", ""), ("livenessProbe", "liveness")])
        {
            var grpc = container[kind]?["grpc"];
            if (grpc is null || Json.Number(grpc["port"]) != 8080 || (Json.Text(grpc["service"]) ?? "") != service)
            {
                yield return $"orders-api {kind}: not grpc on 8080 for service \"{service}\" ({container[kind]?.ToJsonString()})";
            }
        }
    }

    /// <summary>Every container, init containers too, requests and limits CPU and memory.</summary>
    public static IEnumerable<string> Resources(Manifests manifests) =>
        from pod in manifests.PodTemplates
        from container in pod.Containers
        from bound in (string[])["requests", "limits"]
        from resource in (string[])["cpu", "memory"]
        where container["resources"]?[bound]?[resource] is null
        select $"{pod.Workload} container {Json.Text(container["name"])}: no {resource} {bound}";

    /// <summary>Non-root with no service-account token, the runtime's seccomp profile, no privilege escalation, no capabilities, a read-only root with /tmp from an emptyDir.</summary>
    public static IEnumerable<string> SecurityContexts(Manifests manifests)
    {
        foreach (var pod in manifests.PodTemplates)
        {
            var context = pod.Spec["securityContext"];
            if (Json.Flag(pod.Spec["automountServiceAccountToken"]) != false)
            {
                yield return $"{pod.Workload}: automountServiceAccountToken is not false";
            }

            if (Json.Flag(context?["runAsNonRoot"]) != true || !(Json.Number(context?["runAsUser"]) > 0) || !(Json.Number(context?["runAsGroup"]) > 0))
            {
                yield return $"{pod.Workload}: not runAsNonRoot with a non-zero runAsUser and runAsGroup";
            }

            if (Json.Text(context?["seccompProfile"]?["type"]) != "RuntimeDefault")
            {
                yield return $"{pod.Workload}: seccompProfile is not RuntimeDefault";
            }

            var emptyDirs = Json.Items(pod.Spec["volumes"]).Where(v => v["emptyDir"] is not null).Select(v => Json.Text(v["name"])).ToHashSet();
            foreach (var container in pod.Containers)
            {
                var name = $"{pod.Workload} container {Json.Text(container["name"])}";
                var own = container["securityContext"];
                if (Json.Flag(own?["allowPrivilegeEscalation"]) != false || Json.Flag(own?["privileged"]) == true)
                {
                    yield return $"{name}: privilege escalation not turned off";
                }

                if (own?["capabilities"]?["drop"] is not JsonArray dropped || !dropped.Any(c => Json.Text(c) == "ALL") || own["capabilities"]?["add"] is not null)
                {
                    yield return $"{name}: capabilities not dropped (ALL)";
                }

                if (Json.Number(own?["runAsUser"]) == 0 || Json.Flag(own?["runAsNonRoot"]) == false)
                {
                    yield return $"{name}: runs as root";
                }

                if (Json.Flag(own?["readOnlyRootFilesystem"]) != true)
                {
                    yield return $"{name}: root filesystem not read-only";
                }
                else if (!Json.Items(container["volumeMounts"]).Any(m => Json.Text(m["mountPath"]) == "/tmp" && emptyDirs.Contains(Json.Text(m["name"]))))
                {
                    yield return $"{name}: read-only root without a writable /tmp (emptyDir)";
                }
            }
        }
    }

    /// <summary>Every Service port reaches a port of the pods it selects, and one that reaches a gRPC port says h2c.</summary>
    public static IEnumerable<string> ServicePorts(Manifests manifests)
    {
        foreach (var service in manifests.OfKind("Service").Where(s => s["spec"]?["selector"] is not null))
        {
            var containers = SelectedPods(manifests, service).SelectMany(p => p.Containers).ToList();
            foreach (var port in Json.Items(service["spec"]!["ports"]))
            {
                var name = $"Service {Manifests.NameOf(service)} port {Json.Text(port["name"]) ?? Json.Text(port["port"])}";
                var target = port["targetPort"] ?? port["port"];
                var reached = (from container in containers
                               from containerPort in Ports(container)
                               where containerPort.Name == Json.Text(target) || containerPort.Number == Json.Number(target)
                               select (container, containerPort.Number)).ToList();
                if (reached.Count == 0)
                {
                    yield return $"{name}: targets no port of the pods it selects";
                }
                else if (reached.Any(r => IsGrpcPort(r.container, r.Number)) && Json.Text(port["appProtocol"]) != H2c)
                {
                    yield return $"{name}: reaches a gRPC port without appProtocol {H2c}";
                }
            }
        }
    }

    /// <summary>Every Service but an ExternalName one (a DNS alias) selects some pod template.</summary>
    public static IEnumerable<string> ServiceSelectors(Manifests manifests) =>
        from service in manifests.OfKind("Service")
        where Json.Text(service["spec"]?["type"]) != "ExternalName" && !SelectedPods(manifests, service).Any()
        select $"Service {Manifests.NameOf(service)}: selects no pod template";

    /// <summary>Secret-bearing env vars come from secretKeyRef, and an OTLP headers value only expands such vars, defined before it.</summary>
    public static IEnumerable<string> SecretsFromSecretRefs(Manifests manifests)
    {
        foreach (var pod in manifests.PodTemplates)
        {
            foreach (var container in pod.Containers)
            {
                var env = Json.Items(container["env"]).ToList();
                for (var i = 0; i < env.Count; i++)
                {
                    var name = Json.Text(env[i]["name"]) ?? "";
                    var where = $"{pod.Workload} container {Json.Text(container["name"])} env {name}";
                    if (SecretNameParts.Any(name.Contains) && (env[i]["value"] is not null || env[i]["valueFrom"]?["secretKeyRef"] is null))
                    {
                        yield return $"{where}: not from a secretKeyRef";
                    }

                    if (name == "OTEL_EXPORTER_OTLP_HEADERS")
                    {
                        var value = Json.Text(env[i]["value"]) ?? "";
                        var expanded = VariableReference().Matches(value).Select(m => m.Groups[1].Value).ToList();
                        var fromSecrets = env.Take(i).Where(e => e["valueFrom"]?["secretKeyRef"] is not null).Select(e => Json.Text(e["name"])).ToHashSet();
                        if (!HeadersOfReferences().IsMatch(value) || !expanded.All(fromSecrets.Contains))
                        {
                            yield return $"{where}: holds a literal instead of expanding secretKeyRef vars defined before it";
                        }
                    }
                }
            }
        }
    }

    /// <summary>Every secretKeyRef names a Secret in the rendering that has the key.</summary>
    public static IEnumerable<string> SecretRefsResolve(Manifests manifests) =>
        from reference in SecretKeyRefs(manifests)
        let secret = manifests.Find("Secret", reference.Secret)
        where secret is null || (secret["data"]?[reference.Key] ?? secret["stringData"]?[reference.Key]) is null
        select $"{reference.Where}: Secret {reference.Secret} with key {reference.Key} is not rendered";

    /// <summary>The Secrets referenced but not rendered: those the cluster must already hold.</summary>
    public static IEnumerable<string> SecretsExpectedInTheCluster(Manifests manifests) =>
        SecretKeyRefs(manifests).Select(r => r.Secret).Where(s => manifests.Find("Secret", s) is null).Distinct().Order();

    /// <summary>The HPA scales the orders-api Deployment, which leaves the count to it; the PDB covers exactly orders-api's pods.</summary>
    public static IEnumerable<string> OrdersApiScaling(Manifests manifests)
    {
        var deployment = manifests.Get("Deployment", "orders-api");
        var scalers = manifests.OfKind("HorizontalPodAutoscaler").Where(h =>
            Json.Text(h["spec"]?["scaleTargetRef"]?["apiVersion"]) == "apps/v1"
            && Json.Text(h["spec"]?["scaleTargetRef"]?["kind"]) == "Deployment"
            && Json.Text(h["spec"]?["scaleTargetRef"]?["name"]) == "orders-api").ToList();
        if (scalers.Count != 1)
        {
            yield return $"{scalers.Count} HorizontalPodAutoscalers scale Deployment orders-api";
        }
        else if (!(Json.Number(scalers[0]["spec"]!["minReplicas"]) >= 2) || !(Json.Number(scalers[0]["spec"]!["maxReplicas"]) > Json.Number(scalers[0]["spec"]!["minReplicas"])))
        {
            yield return "the orders-api HPA does not keep at least two pods with room to grow";
        }

        if (deployment["spec"]?["replicas"] is not null)
        {
            yield return "Deployment orders-api sets replicas, which every apply would reset under its HPA";
        }

        var budgets = manifests.OfKind("PodDisruptionBudget").ToList();
        var selector = budgets.Count == 1 ? budgets[0]["spec"]?["selector"]?["matchLabels"] as JsonObject : null;
        var covered = manifests.PodTemplates.Where(p => Manifests.Selects(selector, p.Labels)).Select(p => p.Workload).ToList();
        if (covered is not ["Deployment/orders-api"])
        {
            yield return $"the PodDisruptionBudget covers [{string.Join(", ", covered)}], not exactly Deployment/orders-api";
        }
        else if (budgets[0]["spec"]?["minAvailable"] is null && budgets[0]["spec"]?["maxUnavailable"] is null)
        {
            yield return "the PodDisruptionBudget sets neither minAvailable nor maxUnavailable";
        }
    }

    /// <summary>orders-client's dns:/// address names a headless Service (ready pods only) over orders-api's gRPC port, so it can balance per call.</summary>
    public static IEnumerable<string> ClientBalancesOverHeadlessService(Manifests manifests)
    {
        var args = ((JsonArray?)manifests.Container("Deployment", "orders-client", "orders-client")["args"] ?? []).Select(Json.Text).ToList();
        var address = args.IndexOf("--address") is var at and >= 0 && at + 1 < args.Count ? args[at + 1] : null;
        var match = address is null ? null : DnsAddress().Match(address);
        if (match is not { Success: true })
        {
            yield return $"orders-client's --address {address} is not dns:///<service>:<port>";
            yield break;
        }

        var service = manifests.Find("Service", match.Groups["host"].Value);
        var port = service is null ? null : Json.Items(service["spec"]!["ports"]).FirstOrDefault(p => Json.Text(p["port"]) == match.Groups["port"].Value);
        if (service is null || Json.Text(service["spec"]?["clusterIP"]) != "None" || Json.Flag(service["spec"]?["publishNotReadyAddresses"]) == true)
        {
            yield return $"orders-client's address {address} is not a headless Service publishing ready pods only";
        }
        else if (port is null || Json.Text(port["appProtocol"]) != H2c
            || !Manifests.Selects(service["spec"]?["selector"] as JsonObject, manifests.PodTemplate("Deployment", "orders-api").Labels))
        {
            yield return $"orders-client's address {address} does not reach orders-api's h2c port";
        }
    }

    /// <summary>orders-api and orders-client export OTLP/gRPC to the dashboard's h2c OTLP port with the key the dashboard checks.</summary>
    public static IEnumerable<string> OtlpExportReachesDashboard(Manifests manifests)
    {
        var dashboardKey = SecretRef(manifests.Container("Deployment", "aspire-dashboard", "aspire-dashboard"), "Dashboard__Otlp__PrimaryApiKey");
        foreach (var workload in (string[])["orders-api", "orders-client"])
        {
            var container = manifests.Container("Deployment", workload, workload);
            var env = Json.Items(container["env"]).ToDictionary(e => Json.Text(e["name"]) ?? "");
            var endpoint = Uri.TryCreate(Json.Text(env.GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT")?["value"]), UriKind.Absolute, out var uri) ? uri : null;
            var service = endpoint is null ? null : manifests.Find("Service", endpoint.Host);
            var port = service is null ? null : Json.Items(service["spec"]!["ports"]).FirstOrDefault(p => Json.Number(p["port"]) == endpoint!.Port);
            if (port is null || Json.Text(port["appProtocol"]) != H2c || Json.Text(env.GetValueOrDefault("OTEL_EXPORTER_OTLP_PROTOCOL")?["value"]) != "grpc")
            {
                yield return $"{workload}: OTLP endpoint {endpoint} is not a Service's h2c port spoken as grpc";
            }

            var header = Json.Text(env.GetValueOrDefault("OTEL_EXPORTER_OTLP_HEADERS")?["value"]) ?? "";
            var keyVariable = Regex.Match(header, @"x-otlp-api-key=\$\((\w+)\)").Groups[1].Value;
            if (dashboardKey is null || SecretRef(container, keyVariable) != dashboardKey)
            {
                yield return $"{workload}: OTLP header {header} does not send the key the dashboard checks ({dashboardKey})";
            }
        }
    }

    private static string? SecretRef(JsonObject container, string variable) =>
        Json.Items(container["env"]).Where(e => Json.Text(e["name"]) == variable).Select(e => e["valueFrom"]?["secretKeyRef"])
            .Where(r => r is not null).Select(r => $"{Json.Text(r!["name"])}/{Json.Text(r["key"])}").SingleOrDefault();

    private static IEnumerable<(string Where, string Secret, string Key)> SecretKeyRefs(Manifests manifests) =>
        from pod in manifests.PodTemplates
        from container in pod.Containers
        from env in Json.Items(container["env"])
        let reference = env["valueFrom"]?["secretKeyRef"]
        where reference is not null
        select ($"{pod.Workload} env {Json.Text(env["name"])}", Json.Text(reference["name"]) ?? "", Json.Text(reference["key"]) ?? "");

    private static IEnumerable<PodTemplate> SelectedPods(Manifests manifests, JsonObject service) =>
        manifests.PodTemplates.Where(p => Manifests.Selects(service["spec"]?["selector"] as JsonObject, p.Labels));

    private static List<(string? Name, long? Number)> Ports(JsonObject container) =>
        Json.Items(container["ports"]).Select(p => (Json.Text(p["name"]), Json.Number(p["containerPort"]))).ToList();

    private static bool IsGrpcPort(JsonObject container, long? port) => GrpcPorts.Contains((Json.Text(container["name"]) ?? "", port ?? 0));

    /// <summary>The port number a probe asks (a named port resolved against the container's), or null for an exec probe.</summary>
    private static long? ProbePort(JsonObject probe, List<(string? Name, long? Number)> ports)
    {
        var port = probe["grpc"]?["port"] ?? probe["httpGet"]?["port"] ?? probe["tcpSocket"]?["port"];
        return Json.Number(port) ?? ports.FirstOrDefault(p => p.Name == Json.Text(port)).Number;
    }

    [GeneratedRegex(@"\$\((\w+)\)")]
    private static partial Regex VariableReference();

    /// <summary>Comma-separated <c>name=$(VAR)</c> pairs and nothing else.</summary>
    [GeneratedRegex(@"^[\w-]+=\$\(\w+\)(,[\w-]+=\$\(\w+\))*$")]
    private static partial Regex HeadersOfReferences();

    [GeneratedRegex(@"^dns:///(?<host>[a-z0-9-]+):(?<port>\d+)$")]
    private static partial Regex DnsAddress();
}
