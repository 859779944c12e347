using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ecommerce;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Orders.Client.Scenario;
using OrdersAspire.Shared;

namespace Orders.Client.Output;

/// <summary>Machine-readable output: one JSON object per line on stdout — messages, results and errors alike, so a consumer reads one stream.</summary>
public sealed class JsonOutput(TextWriter stdout) : ICommandOutput
{
    // Terminal and pipe output, never embedded in HTML: keep quotes and non-ASCII text readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonFormatter MessageFormatter = new(JsonFormatter.Settings.Default
        .WithFormatDefaultValues(true)
        .WithTypeRegistry(RpcErrorDescriber.DetailTypes));

    public void Order(Order order) => WriteMessage(order);

    public void OrderAdded(string id) => WriteObject(json => json.WriteString("id", id));

    public void OrdersUpdated(string reply) => WriteObject(json => json.WriteString("reply", reply));

    public void Shipment(CombinedShipment shipment) => WriteMessage(shipment);

    public void OrderDeleted(string id) => WriteObject(json => json.WriteString("deleted", id));

    public void RpcError(RpcException exception) => WriteObject(json =>
    {
        json.WriteStartObject("error");
        json.WriteString("code", GrpcStatusNames.Of((int)exception.StatusCode));
        json.WriteNumber("status", (int)exception.StatusCode);
        json.WriteString("message", exception.Status.Detail);
        json.WritePropertyName("details");
        json.WriteStartArray();
        foreach (var detail in RpcErrorDescriber.RichStatus(exception).Details)
        {
            WriteCompact(json, detail);
        }

        json.WriteEndArray();
        if (RpcErrorDescriber.Hint(exception) is { } hint)
        {
            json.WriteString("hint", hint);
        }

        json.WriteEndObject();
    });

    public void UsageError(string message) => WriteObject(json =>
    {
        json.WriteStartObject("error");
        json.WriteString("code", "USAGE");
        json.WriteString("message", message);
        json.WriteEndObject();
    });

    public void ScenarioStep(ScenarioStepResult result) => WriteObject(json => WriteStep(json, result));

    public void ScenarioSummary(ScenarioRunResult run) => WriteObject(json =>
    {
        json.WriteStartObject("summary");
        json.WriteNumber("run", run.Iteration);
        json.WriteBoolean("passed", run.Passed);
        json.WriteNumber("stepsPassed", run.Steps.Count(s => s.Passed));
        json.WriteNumber("steps", run.Steps.Count);
        json.WriteNumber("elapsedMs", Math.Round(run.Elapsed.TotalMilliseconds, 1));
        json.WriteEndObject();
    });

    private static void WriteStep(Utf8JsonWriter json, ScenarioStepResult step)
    {
        json.WriteNumber("step", step.Number);
        json.WriteString("name", step.Name);
        json.WriteString("expected", step.Expected);
        json.WriteString("actual", step.Actual);
        json.WriteBoolean("passed", step.Passed);
        json.WriteNumber("elapsedMs", Math.Round(step.Elapsed.TotalMilliseconds, 1));
        if (step.Detail is not null)
        {
            json.WriteString("detail", step.Detail);
        }
    }

    // Protobuf's formatter pads its JSON with spaces; rewriting it keeps every line compact.
    private static void WriteCompact(Utf8JsonWriter json, IMessage message)
    {
        using var document = JsonDocument.Parse(MessageFormatter.Format(message));
        document.RootElement.WriteTo(json);
    }

    private void WriteMessage(IMessage message) => WriteJsonLine(json => WriteCompact(json, message));

    private void WriteObject(Action<Utf8JsonWriter> writeProperties) => WriteJsonLine(json =>
    {
        json.WriteStartObject();
        writeProperties(json);
        json.WriteEndObject();
    });

    private void WriteJsonLine(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(json);
        }

        stdout.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
