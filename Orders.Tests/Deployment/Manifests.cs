using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orders.Tests.Deployment;

/// <summary>A pod template and where it came from: its workload (Deployment or StatefulSet) and its <c>spec.template</c>.</summary>
public sealed record PodTemplate(string Workload, JsonObject Template)
{
    public JsonObject Labels => Template["metadata"]?["labels"]?.AsObject() ?? [];

    public JsonObject Spec => Template["spec"]!.AsObject();

    public IEnumerable<JsonObject> Containers => Json.Items(Spec["initContainers"]).Concat(Json.Items(Spec["containers"]));
}

/// <summary>The objects one rendering holds, as JSON (scalars typed as YAML 1.2's core schema reads them).</summary>
public sealed class Manifests(IReadOnlyList<JsonObject> objects)
{
    public IReadOnlyList<JsonObject> Objects { get; } = objects;

    public static Manifests Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return new Manifests(stream.Documents.Select(d => ToJson(d.RootNode)!.AsObject()).ToList());
    }

    /// <summary>A deep copy, to change without touching the rendering the other tests read.</summary>
    public Manifests Clone() => new(Objects.Select(o => o.DeepClone().AsObject()).ToList());

    /// <summary>As YAML documents (each one JSON), for the validator.</summary>
    public string ToYaml() => string.Join("\n---\n", Objects.Select(o => o.ToJsonString()));

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => Json.Text(o["kind"]) == kind);

    public JsonObject? Find(string kind, string name) => OfKind(kind).SingleOrDefault(o => NameOf(o) == name);

    public JsonObject Get(string kind, string name) => Find(kind, name) ?? throw new Xunit.Sdk.XunitException($"No {kind} {name} rendered.");

    public IEnumerable<PodTemplate> PodTemplates =>
        Objects.Where(o => Json.Text(o["kind"]) is "Deployment" or "StatefulSet")
            .Select(o => new PodTemplate($"{o["kind"]}/{NameOf(o)}", o["spec"]!["template"]!.AsObject()));

    public PodTemplate PodTemplate(string kind, string name) => PodTemplates.Single(p => p.Workload == $"{kind}/{name}");

    public JsonObject Container(string kind, string name, string container) =>
        PodTemplate(kind, name).Containers.Single(c => Json.Text(c["name"]) == container);

    public static string NameOf(JsonObject o) => Json.Text(o["metadata"]?["name"]) ?? "?";

    /// <summary>A Secret's value under <paramref name="key"/> in base64, unwrapped (kubectl wraps long values over lines).</summary>
    public static string SecretBase64(JsonObject secret, string key) =>
        Json.Text(secret["data"]![key])!.Replace("\n", "", StringComparison.Ordinal);

    /// <summary>What a container's env entry sets: its value, or the decoded value of the Secret key it references.</summary>
    public string EnvValue(JsonObject variable)
    {
        if (Json.Text(variable["value"]) is { } value)
        {
            return value;
        }

        var reference = variable["valueFrom"]!["secretKeyRef"]!;
        var secret = Get("Secret", Json.Text(reference["name"])!);
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(SecretBase64(secret, Json.Text(reference["key"])!)));
    }

    /// <summary>True when every label of <paramref name="selector"/> is on <paramref name="labels"/> (an empty selector selects nothing here).</summary>
    public static bool Selects(JsonObject? selector, JsonObject labels) =>
        selector is { Count: > 0 } && selector.All(s => Json.Text(labels[s.Key]) is { } value && value == Json.Text(s.Value));

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => PlainScalar(scalar.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new NotSupportedException($"YAML node {node.NodeType}"),
    };

    private static JsonValue? PlainScalar(string text) => text switch
    {
        "" or "~" or "null" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
        _ => JsonValue.Create(text),
    };
}
