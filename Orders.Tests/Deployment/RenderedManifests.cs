namespace Orders.Tests.Deployment;

/// <summary>The base and both overlays, each rendered once for a test class (rendering is offline and sub-second).</summary>
public sealed class RenderedManifests
{
    public const string Base = "base";
    public const string Dev = "overlays/dev";
    public const string Prod = "overlays/prod";

    public static readonly string[] All = [Base, Dev, Prod];

    private readonly Dictionary<string, Lazy<Manifests>> renderings =
        All.ToDictionary(d => d, d => new Lazy<Manifests>(() => Manifests.Parse(DeployK8s.RenderAsync(d).GetAwaiter().GetResult())));

    /// <summary>The rendering of <paramref name="directory"/>; callers that change it take a <see cref="Manifests.Clone"/>.</summary>
    public Manifests this[string directory] => renderings[directory].Value;
}
