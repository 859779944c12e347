using System.Text.Json.Nodes;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Deployment;

/// <summary>Every rendered object against the Kubernetes schemas (deploy/k8s/validate, on the npm package kubernetes-models).</summary>
[Requires(Need.Node)]
public sealed class ManifestSchemaTests(RenderedManifests rendered) : IClassFixture<RenderedManifests>
{
    public static TheoryData<string> Renderings => new(RenderedManifests.All);

    [Theory]
    [MemberData(nameof(Renderings))]
    public async Task EveryRenderedObjectValidates(string directory)
    {
        var yaml = await DeployK8s.RenderAsync(directory);

        var run = await DeployK8s.ValidateAsync(yaml);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"{rendered[directory].Objects.Count} objects, 0 errors", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongTypedFieldIsRejectedWithWhereAndWhy()
    {
        var manifests = rendered[RenderedManifests.Dev].Clone();
        manifests.Get("Service", "orders-api")["spec"]!["ports"]![0]!["port"] = "grpc";
        manifests.Get("Deployment", "orders-api")["spec"]!["revisionHistoryLimit"] = "five";

        var run = await DeployK8s.ValidateAsync(manifests.ToYaml());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Service/orders-api: /spec/ports/0/port must be integer", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Deployment/orders-api: /spec/revisionHistoryLimit must be integer", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 errors", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingRequiredFieldAndAnUnknownKindAreRejected()
    {
        var manifests = rendered[RenderedManifests.Prod].Clone();
        manifests.Container("Deployment", "orders-api", "orders-api")["livenessProbe"]!["grpc"]!.AsObject().Remove("port");
        manifests.Get("Service", "orders-db")["kind"] = "ExternalService";

        var run = await DeployK8s.ValidateAsync(manifests.ToYaml());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Deployment/orders-api: /spec/template/spec/containers/0/livenessProbe/grpc must have required property port", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("ExternalService/orders-db: no schema for apiVersion \"v1\", kind \"ExternalService\"", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecretValueThatIsNotBase64IsRejected()
    {
        var manifests = rendered[RenderedManifests.Dev].Clone();
        manifests.OfKind("Secret").First()["data"]!.AsObject().First().Value!.ReplaceWith(JsonValue.Create("not base64!"));

        var run = await DeployK8s.ValidateAsync(manifests.ToYaml());

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"Secret/[\w-]+: /data/[\w-]+ must match format ""byte""", run.Stdout);
    }
}
