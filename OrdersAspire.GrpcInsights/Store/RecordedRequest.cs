using System.Globalization;
using System.Text.Json;
using OrdersAspire.Shared;

namespace OrdersAspire.GrpcInsights.Store;

/// <summary>
/// What a call's spans recorded of its request when Orders.Api captured messages (docs/telemetry.md): the messages as
/// protobuf JSON in order, whether a cap left some out, the metadata worth repeating, and where the call went.
/// </summary>
/// <param name="ClientDeadlineMs">The deadline the client set (its span's rpc.grpc.deadline_ms), when it recorded one.</param>
/// <param name="LeftOut">Messages not recorded whole: past a cap, or lost on the way (an event dropped, a value cut).</param>
/// <param name="Address">host:port the call went to, from the client span, else the :authority the server recorded; null when neither says.</param>
public sealed record RecordedRequest(IReadOnlyList<string> Messages, long LeftOut, string? DelayMs, double? ClientDeadlineMs, string? Scheme, string? Address)
{
    /// <summary>A cap left messages out: the recorded ones are only the start of the request.</summary>
    public bool Capped => LeftOut > 0;

    /// <summary>Null when no server span of the call recorded its messages.</summary>
    /// <param name="clientFirst">The call's spans, the client's first, then its server spans deepest first.</param>
    public static RecordedRequest? From(SpanData? client, IReadOnlyList<SpanData> clientFirst)
    {
        var recorder = clientFirst.FirstOrDefault(span => span.Kind == SpanKind.Server && span.Attribute(RpcSemanticConventions.MessagesCaptured) is not null);
        if (recorder is null)
        {
            return null;
        }

        var recorded = recorder.Events
            .Where(e => e.Name == RpcSemanticConventions.RequestMessageEvent)
            .Select(e => AttributeEntry.Find(e.Attributes, RpcSemanticConventions.MessageJson))
            .ToList();
        // A message that did not arrive whole (an event or attribute cut by a limit on the way) ends the usable sequence.
        List<string> messages = [.. recorded.TakeWhile(IsWholeJson).Select(json => json!)];
        string? First(string key) => clientFirst.Select(span => span.Attribute(key)).FirstOrDefault(value => !string.IsNullOrEmpty(value));
        var host = First(RpcSemanticConventions.ServerAddress);
        var port = First(RpcSemanticConventions.ServerPort);
        // Captured but not here whole: events dropped by a receiver's limit, or values cut by one.
        var lost = Math.Max(recorded.Count, Count(recorder.Attribute(RpcSemanticConventions.MessagesCaptured))) - messages.Count;
        return new RecordedRequest(
            messages,
            Count(recorder.Attribute(RpcSemanticConventions.MessagesLeftOut)) + lost,
            recorder.Attribute(RpcSemanticConventions.DelayMetadata),
            double.TryParse(client?.Attribute(RpcSemanticConventions.DeadlineMs), NumberStyles.Float, CultureInfo.InvariantCulture, out var deadline)
                && double.IsFinite(deadline) ? deadline : null,
            First(RpcSemanticConventions.UrlScheme),
            host is null || port is null ? null : host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}");
    }

    private static bool IsWholeJson(string? json)
    {
        if (json is null)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static long Count(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0 ? count : 0;
}
