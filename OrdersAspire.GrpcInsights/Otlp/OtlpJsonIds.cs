using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrdersAspire.GrpcInsights.Otlp;

/// <summary>
/// OTLP/JSON writes trace and span ids as hex where the protobuf JSON mapping expects base64. This rewrites them in one
/// streaming pass over the body — token by token, never a document tree — so parsing a body costs a few times its size,
/// not ten. Like a document would, it refuses a property given twice in one object and nesting deeper than 128.
/// </summary>
internal static class OtlpJsonIds
{
    private static readonly HashSet<string> IdFields = ["traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id"];
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 128 };

    // The output is read only by the protobuf parser: no need to escape HTML-sensitive or non-ASCII characters.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>The body with hex ids as base64, to read from the start; throws <see cref="JsonException"/> or <see cref="FormatException"/> on bad input.</summary>
    public static MemoryStream HexToBase64(ReadOnlySpan<byte> json, string messageName)
    {
        // The reader copies string bytes without checking them; JSON text must be UTF-8 (RFC 8259).
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw new FormatException($"The body is not a valid {messageName} in OTLP/JSON: it is not UTF-8 text.");
        }

        var output = new MemoryStream(json.Length + 64);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            var properties = new Stack<HashSet<string>>();
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.Null && reader.CurrentDepth == 0)
                {
                    throw new FormatException($"The body is JSON null, not an {messageName}.");
                }

                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    Copy(ref reader, writer, properties);
                    continue;
                }

                var name = reader.GetString()!;
                if (!properties.Peek().Add(name))
                {
                    throw new JsonException($"The property '{Truncate(name)}' is given twice in one object.");
                }

                writer.WritePropertyName(name);
                reader.Read();
                if (IdFields.Contains(name) && reader.TokenType == JsonTokenType.String)
                {
                    writer.WriteBase64StringValue(FromHex(name, reader.GetString()!));
                }
                else
                {
                    Copy(ref reader, writer, properties);
                }
            }
        }

        output.Position = 0;
        return output;
    }

    private static void Copy(ref Utf8JsonReader reader, Utf8JsonWriter writer, Stack<HashSet<string>> properties)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                properties.Push(new HashSet<string>(StringComparer.Ordinal));
                writer.WriteStartObject();
                break;
            case JsonTokenType.EndObject:
                properties.Pop();
                writer.WriteEndObject();
                break;
            case JsonTokenType.StartArray:
                writer.WriteStartArray();
                break;
            case JsonTokenType.EndArray:
                writer.WriteEndArray();
                break;
            case JsonTokenType.String when reader.ValueIsEscaped:
                writer.WriteStringValue(reader.GetString());
                break;
            case JsonTokenType.String:
                writer.WriteStringValue(reader.ValueSpan);
                break;
            // Numbers are copied as written: 64-bit integers and doubles keep every digit.
            case JsonTokenType.Number:
                writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                break;
            case JsonTokenType.True or JsonTokenType.False:
                writer.WriteBooleanValue(reader.GetBoolean());
                break;
            case JsonTokenType.Null:
                writer.WriteNullValue();
                break;
        }
    }

    private static byte[] FromHex(string field, string hex)
    {
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new FormatException($"The body is not valid OTLP/JSON: {field} '{Truncate(hex)}' is not a hex-encoded id.");
        }
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "…");
}
