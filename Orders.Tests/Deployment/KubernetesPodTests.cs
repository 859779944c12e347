using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ecommerce;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Orders.Tests.Infrastructure;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace Orders.Tests.Deployment;

/// <summary>
/// The dev overlay's orders-api Deployment, rendered by kubectl kustomize and run by <c>podman kube play</c> with
/// only its image tag changed: its securityContext applied, its connection string from the rendered Secret, and its
/// kubelet probes asked as the kubelet would ask them. PostgreSQL runs beside it as the rendered StatefulSet
/// configures it, but as a plain container: podman 4.3 neither plays StatefulSets nor applies fsGroup to volumes.
/// </summary>
[Collection(PodmanContainers.Name)]
[Requires(Need.Podman)]
public sealed class KubernetesPodTests : IAsyncLifetime
{
    private const string ApiContainer = "orders-api-pod-0-orders-api";
    private readonly string network = "orders-k8s-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly string playFile = Path.Combine(Path.GetTempPath(), $"orders-k8s-{Guid.NewGuid():N}.json");
    private readonly List<string> secrets = [];
    private Manifests dev = null!;
    private GrpcChannel? channel;

    private string Postgres => $"{network}-postgres";

    public async Task InitializeAsync()
    {
        await ContainerImages.EnsureBuiltAsync();
        dev = Manifests.Parse(await DeployK8s.RenderAsync(RenderedManifests.Dev));
        (await Podman.RunAsync("network", "create", network)).EnsureSuccess();

        // podman 4.3 hands kube play a secret as a JSON object of base64 values (kubectl wraps long ones; Go does not unwrap).
        foreach (var secret in dev.OfKind("Secret"))
        {
            var name = Manifests.NameOf(secret);
            var file = Path.Combine(Path.GetTempPath(), $"{network}-{name}.json");
            await File.WriteAllTextAsync(file, new JsonObject(secret["data"]!.AsObject().Select(d =>
                KeyValuePair.Create(d.Key, (JsonNode?)Manifests.SecretBase64(secret, d.Key)))).ToJsonString());
            await Podman.RunAsync("secret", "rm", name);
            (await Podman.RunAsync("secret", "create", name, file)).EnsureSuccess();
            File.Delete(file);
            secrets.Add(name);
        }

        var database = dev.Container("StatefulSet", "postgres", "postgres");
        (await Podman.RunAsync(["run", "-d", "--name", Postgres, "--network", network, "--network-alias", "postgres",
            .. Json.Items(database["env"]).SelectMany(e => (string[])["-e", $"{Json.Text(e["name"])}={dev.EnvValue(e)}"]), ContainerImages.Postgres])).EnsureSuccess();

        var deployment = dev.Get("Deployment", "orders-api").DeepClone().AsObject();
        foreach (var container in Json.Items(deployment["spec"]!["template"]!["spec"]!["containers"]))
        {
            container["image"] = ContainerImages.Of("orders-api");
        }

        await File.WriteAllTextAsync(playFile, deployment.ToJsonString());
        (await Podman.RunAsync("kube", "play", "--replace", "--network", network, playFile)).EnsureSuccess();
        channel = GrpcChannel.ForAddress($"http://{await PodAddressAsync()}:{GrpcProbe("readinessProbe").Port}");
    }

    public async Task DisposeAsync()
    {
        channel?.Dispose();
        await Podman.RunAsync("kube", "down", playFile);
        await Podman.RunAsync("rm", "-f", "-t", "0", Postgres);
        foreach (var secret in secrets)
        {
            await Podman.RunAsync("secret", "rm", secret);
        }

        await Podman.RunAsync("network", "rm", "-f", network);
        File.Delete(playFile);
    }

    [Fact]
    public async Task ThePodRunsAsItsSecurityContextSays()
    {
        var inspect = await Podman.InspectAsync(ApiContainer);
        var pod = dev.PodTemplate("Deployment", "orders-api").Spec["securityContext"]!;
        Assert.Equal($"{Json.Number(pod["runAsUser"])}:{Json.Number(pod["runAsGroup"])}", inspect.GetProperty("Config").GetProperty("User").GetString());
        Assert.True(inspect.GetProperty("HostConfig").GetProperty("ReadonlyRootfs").GetBoolean());
        Assert.Equal("1654", (await Podman.RunAsync("exec", ApiContainer, "id", "-u")).EnsureSuccess().Stdout.Trim());
        Assert.NotEqual(0, (await Podman.RunAsync("exec", ApiContainer, "touch", "/app/written")).ExitCode);
        // /tmp is the emptyDir the Deployment mounts there: writable.
        Assert.Equal(0, (await Podman.RunAsync("exec", ApiContainer, "touch", "/tmp/written")).ExitCode);
        // capabilities.drop: [ALL] empties even the bounding set, so nothing in the container can regain one.
        Assert.Equal("0000000000000000", (await Podman.RunAsync("exec", ApiContainer, "sh", "-c", "grep CapBnd /proc/1/status | cut -f2")).EnsureSuccess().Stdout.Trim());
    }

    [Fact]
    public async Task TheProbesAnswerAsTheKubeletWouldAskThem_AndReadinessAloneFollowsTheStore()
    {
        var health = new Health.HealthClient(channel);
        var readiness = GrpcProbe("readinessProbe");
        var liveness = GrpcProbe("livenessProbe");
        await Eventually.HoldsAsync(() => StatusAsync(health, readiness.Service), s => s == ServingStatus.Serving, "readiness SERVING", timeoutSeconds: 90);
        Assert.Equal(ServingStatus.Serving, await StatusAsync(health, liveness.Service));

        // The store goes away: the kubelet would take the pod out of the Services, and leave it running.
        (await Podman.RunAsync("stop", "-t", "5", Postgres)).EnsureSuccess();
        try
        {
            await Eventually.HoldsAsync(() => StatusAsync(health, readiness.Service), s => s == ServingStatus.NotServing, "readiness NOT_SERVING without PostgreSQL");
            Assert.Equal(ServingStatus.Serving, await StatusAsync(health, liveness.Service));
        }
        finally
        {
            (await Podman.RunAsync("start", Postgres)).EnsureSuccess();
        }

        await Eventually.HoldsAsync(() => StatusAsync(health, readiness.Service), s => s == ServingStatus.Serving, "readiness SERVING again");
    }

    [Fact]
    public async Task ItServesTheSampleOrdersFromTheDatabaseTheSecretNames()
    {
        var health = new Health.HealthClient(channel);
        await Eventually.HoldsAsync(() => StatusAsync(health, GrpcProbe("readinessProbe").Service), s => s == ServingStatus.Serving, "readiness SERVING", timeoutSeconds: 90);

        var order = await new OrderManagement.OrderManagementClient(channel).getOrderAsync(new StringValue { Value = "102" }, deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal("102", order.Id);
    }

    private static async Task<ServingStatus> StatusAsync(Health.HealthClient health, string service)
    {
        try
        {
            return (await health.CheckAsync(new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow.AddSeconds(5))).Status;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return ServingStatus.Unknown;
        }
    }

    private (int Port, string Service) GrpcProbe(string probe)
    {
        var grpc = dev.Container("Deployment", "orders-api", "orders-api")[probe]?["grpc"] ?? throw new Xunit.Sdk.XunitException($"orders-api has no gRPC {probe}");
        return ((int)Json.Number(grpc["port"])!.Value, Json.Text(grpc["service"]) ?? "");
    }

    private static async Task<string> PodAddressAsync()
    {
        var infra = (await Podman.RunAsync("pod", "inspect", "--format", "{{.InfraContainerID}}", "orders-api-pod-0")).EnsureSuccess().Stdout.Trim();
        var address = (await Podman.RunAsync("inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", infra)).EnsureSuccess().Stdout.Trim();
        Assert.False(string.IsNullOrEmpty(address), "the pod has no address on its network");
        return address;
    }

}
