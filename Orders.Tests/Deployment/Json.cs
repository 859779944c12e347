using System.Text.Json.Nodes;

namespace Orders.Tests.Deployment;

/// <summary>Typed reads of rendered fields that tolerate absence and the wrong type (a check reports those; it does not throw).</summary>
public static class Json
{
    public static string? Text(JsonNode? node) =>
        node is JsonValue value ? (value.TryGetValue<string>(out var text) ? text : value.ToJsonString()) : null;

    public static long? Number(JsonNode? node) =>
        node is JsonValue value
            ? value.TryGetValue<long>(out var number) ? number : value.TryGetValue<int>(out var small) ? small : null
            : null;

    public static bool? Flag(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    public static IEnumerable<JsonObject> Items(JsonNode? node) =>
        node is JsonArray array ? array.OfType<JsonObject>() : [];
}
