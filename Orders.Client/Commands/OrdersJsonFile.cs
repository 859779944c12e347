using System.Text.Json;
using Ecommerce;
using Google.Protobuf;

namespace Orders.Client.Commands;

/// <summary>
/// Reads the <c>update</c> input: a JSON array of orders, or one order object, in the contract's JSON form (id, items,
/// description, price, destination). Orders are numbered from 0, as the server's violations (<c>orders[0].id</c>) are.
/// </summary>
public static class OrdersJsonFile
{
    public const string StandardInput = "-";

    private static readonly JsonParser OrderParser = new(JsonParser.Settings.Default);

    public static async Task<IReadOnlyList<Order>> ReadAsync(string path, TextReader stdin, CancellationToken cancellationToken)
    {
        var source = path == StandardInput ? "stdin" : path;
        if (path != StandardInput && Directory.Exists(path))
        {
            throw new UsageException($"update: {source} is a folder; give a JSON file of orders, or - for stdin.");
        }

        try
        {
            var json = path == StandardInput ? await stdin.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(path, cancellationToken);
            return Parse(json, $"update: {source}");
        }
        catch (IOException ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"update: {source}: file not found.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unreadable file: the user's input, so a usage error rather than a crash with a stack trace.
            throw new UsageException($"update: {source}: cannot be read ({ex.Message})", ex);
        }
    }

    /// <param name="source">What the messages name the input by, e.g. "update: stdin".</param>
    public static IReadOnlyList<Order> Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{source} is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            return root.ValueKind switch
            {
                JsonValueKind.Array => [.. root.EnumerateArray().Select((element, index) => ParseOrder(element, $"orders[{index}]", source))],
                JsonValueKind.Object => [ParseOrder(root, which: null, source)],
                _ => throw new UsageException($"{source} holds {Describe(root.ValueKind)}; expected a JSON array of orders, or one order object."),
            };
        }
    }

    /// <param name="which">The order's place in the array, or null for a file of one order.</param>
    private static Order ParseOrder(JsonElement element, string? which, string source)
    {
        var what = which is null ? source : $"{source}: {which}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new UsageException($"{what} is {Describe(element.ValueKind)}; expected an order object.");
        }

        try
        {
            return OrderParser.Parse<Order>(element.GetRawText());
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException)
        {
            throw new UsageException($"{what} is not an order: {ex.Message}", ex);
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
