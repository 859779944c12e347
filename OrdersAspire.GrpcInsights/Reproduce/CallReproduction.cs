using System.Globalization;
using System.Text.Json;
using OrdersAspire.GrpcInsights.Configuration;
using OrdersAspire.GrpcInsights.Store;
using OrdersAspire.Shared;

namespace OrdersAspire.GrpcInsights.Reproduce;

/// <summary>
/// Two shell lines that repeat a traced call from its recorded request (docs/grpc-insights.md, Reproduce a call): one
/// running Orders.Client, one running grpcurl, each with the call's address, messages, deadline and allow-listed metadata.
/// </summary>
/// <param name="Client">Null when Orders.Client has no command for the call (another service, or a process call with no ids).</param>
public sealed record CallReproduction(string? Client, string Grpcurl)
{
    private const string OrdersService = "ecommerce.OrderManagement";

    /// <summary>Where Orders.Client and grpcurl call when a call's spans name no address: Orders.Api's default.</summary>
    private const string DefaultAddress = "localhost:50051";

    /// <summary>Null unless the call's whole request was recorded: not captured, or capped, it cannot be repeated exactly.</summary>
    public static CallReproduction? For(GrpcCall call, ReproduceOptions options)
    {
        if (call.Request is not { Capped: false } request || !HasItsMessages(call.CallType, request.Messages.Count))
        {
            return null;
        }

        // The deadline the client set; else what the server saw left of it, the nearest recorded.
        var deadlineMs = request.ClientDeadlineMs ?? call.DeadlineMs;
        var headers = Headers(call, request);
        return new CallReproduction(ClientLine(call, request, deadlineMs, headers, options.ClientCommand), GrpcurlLine(call, request, deadlineMs, headers));
    }

    private static bool HasItsMessages(string? callType, int count) => callType switch
    {
        RpcCallTypes.Unary or RpcCallTypes.ServerStreaming => count == 1,
        RpcCallTypes.ClientStreaming or RpcCallTypes.DuplexStreaming => true,
        _ => false,
    };

    /// <summary>The allow-listed metadata the server recorded; a value its span holds escaped is not the one sent, so it is left out.</summary>
    private static List<(string Name, string Value)> Headers(GrpcCall call, RecordedRequest request)
    {
        List<(string Name, string Value)> headers = [];
        foreach (var (name, value) in new[] { (OrdersHeaders.RequestId, call.RequestId), (OrdersHeaders.DelayMs, request.DelayMs) })
        {
            if (!string.IsNullOrEmpty(value) && !value.Contains('\\', StringComparison.Ordinal))
            {
                headers.Add((name, value));
            }
        }

        return headers;
    }

    private static string? ClientLine(GrpcCall call, RecordedRequest request, double? deadlineMs, List<(string Name, string Value)> headers, string clientCommand)
    {
        var slash = call.Method.LastIndexOf('/');
        if (slash < 0 || call.Method[..slash] != OrdersService || CommandOrNull(call.Method[(slash + 1)..], request.Messages) is not { } command)
        {
            return null;
        }

        List<string> words = [];
        if (request.Address is { } address)
        {
            words.AddRange(["--address", $"{request.Scheme ?? "http"}://{address}"]);
        }

        if (deadlineMs is { } deadline)
        {
            // Orders.Client takes no deadline of zero: a call out of time on arrival is repeated with the least it takes.
            words.AddRange(["--deadline", $"{Math.Max(deadline, 1).ToString("0.###", CultureInfo.InvariantCulture)}ms"]);
        }

        foreach (var (name, value) in headers)
        {
            words.AddRange(["--header", $"{name}={value}"]);
        }

        words.AddRange(command.Words);
        var line = $"{clientCommand} {ShellQuoting.Join(words)}";
        return command.Stdin is { } stdin ? $"printf '%s' {ShellQuoting.Quote(stdin)} | {line}" : line;
    }

    private static (List<string> Words, string? Stdin)? CommandOrNull(string method, IReadOnlyList<string> messages)
    {
        try
        {
            return Command(method, messages);
        }
        catch (InvalidOperationException)
        {
            // JSON of another shape than the contract's (a string where an id should be): anyone can send spans.
            return null;
        }
    }

    /// <summary>Orders.Client's command words for the method and its messages, and what it reads from stdin; null when it has none.</summary>
    private static (List<string> Words, string? Stdin)? Command(string method, IReadOnlyList<string> messages) => method switch
    {
        "getOrder" => (["get", .. Positional([Text(messages[0])])], null),
        "deleteOrder" => (["delete", .. Positional([Text(messages[0])])], null),
        "searchOrders" => (["search", .. Positional([Text(messages[0])])], null),
        "processOrders" when messages.Count > 0 => (["process", .. Positional([.. messages.Select(Text)])], null),
        "updateOrders" => (["update", "-"], $"[{string.Join(',', messages)}]"),
        "addOrder" => (["add", .. AddOptions(messages[0])], null),
        _ => null,
    };

    /// <summary>The text of a google.protobuf.StringValue in JSON: a JSON string.</summary>
    private static string Text(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetString() ?? "";
    }

    /// <summary>Arguments after "--" when one would read as an option (-x) or a response file (@file).</summary>
    private static List<string> Positional(List<string> values) =>
        values.Any(value => value.StartsWith('-') || value.StartsWith('@')) ? ["--", .. values] : values;

    /// <summary>
    /// add's options for the order: its fields as --item/--price/--description/--destination when they say all of it, else
    /// --order with the JSON itself (an order with an id, an empty item, a field the options lack).
    /// </summary>
    private static List<string> AddOptions(string json)
    {
        using var document = JsonDocument.Parse(json);
        List<string> words = [];
        var price = "0";
        foreach (var field in document.RootElement.EnumerateObject())
        {
            switch (field.Name, field.Value.ValueKind)
            {
                case ("items", JsonValueKind.Array) when field.Value.EnumerateArray().All(item => item.GetString() is { Length: > 0 }):
                    words.AddRange(field.Value.EnumerateArray().Select(item => $"--item={item.GetString()}"));
                    break;
                case ("description" or "destination", JsonValueKind.String):
                    words.Add($"--{field.Name}={field.Value.GetString()}");
                    break;
                case ("price", JsonValueKind.Number):
                    price = field.Value.GetRawText();
                    break;
                case ("price", JsonValueKind.String):
                    // NaN and the infinities, which JSON writes as strings.
                    price = field.Value.GetString()!;
                    break;
                default:
                    return ["--order", json];
            }
        }

        return [.. words, $"--price={price}"];
    }

    private static string GrpcurlLine(GrpcCall call, RecordedRequest request, double? deadlineMs, List<(string Name, string Value)> headers)
    {
        List<string> words = ["grpcurl"];
        if (request.Scheme != "https")
        {
            words.Add("-plaintext");
        }

        if (deadlineMs is { } deadline)
        {
            // grpcurl's -max-time bounds the whole call and is sent as its grpc-timeout: the deadline grpcui leaves out.
            words.AddRange(["-max-time", (Math.Max(deadline, 1) / 1000).ToString("0.######", CultureInfo.InvariantCulture)]);
        }

        foreach (var (name, value) in headers)
        {
            words.AddRange(["-H", $"{name}: {value}"]);
        }

        // Streams read their messages from stdin, one JSON value after another; a single request goes in -d itself.
        var streamed = call.CallType is RpcCallTypes.ClientStreaming or RpcCallTypes.DuplexStreaming;
        words.AddRange(["-d", streamed ? "@" : request.Messages[0], request.Address ?? DefaultAddress, call.Method]);
        var line = ShellQuoting.Join(words);
        return streamed ? $"printf '%s' {ShellQuoting.Quote(string.Join(' ', request.Messages))} | {line}" : line;
    }
}
