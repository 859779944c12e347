using System.Text.Json;
using Ecommerce;
using Google.Protobuf;

namespace Orders.Client.Commands;

/// <summary>Reads the <c>update</c> input: a JSON array of orders in the contract's JSON form (id, items, description, price, destination).</summary>
public static class OrdersJsonFile
{
    public const string StandardInput = "-";

    private static readonly JsonParser OrderParser = new(JsonParser.Settings.Default);

    public static async Task<IReadOnlyList<Order>> ReadAsync(string path, TextReader stdin, CancellationToken cancellationToken)
    {
        var source = path == StandardInput ? "stdin" : path;
        try
        {
            var json = path == StandardInput ? await stdin.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(path, cancellationToken);
            return Parse(json, source);
        }
        catch (IOException ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"update: {source}: file not found.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A directory, an unreadable file: the user's input, so a usage error rather than a crash with a stack trace.
            throw new UsageException($"update: {source}: cannot be read ({ex.Message})", ex);
        }
    }

    public static IReadOnlyList<Order> Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"update: {source} is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new UsageException($"update: {source} must hold a JSON array of orders, not a {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
            }

            return [.. document.RootElement.EnumerateArray().Select((element, index) => ParseOrder(element, index, source))];
        }
    }

    private static Order ParseOrder(JsonElement element, int index, string source)
    {
        var what = $"update: {source}: order #{index + 1}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new UsageException($"{what} must be a JSON object, not a {element.ValueKind.ToString().ToLowerInvariant()}.");
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
}
