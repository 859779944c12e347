using System.CommandLine;
using Grpc.Core;
using Orders.Client.Parsing;

namespace Orders.Client.Commands;

/// <summary>Options every command accepts, before or after the command name.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Address { get; } = new("--address")
    {
        Description = "Orders.Api URL (default: http://orders-api via service discovery when services:orders-api:http:0 is configured, else http://localhost:50051)",
        HelpName = "url",
        Recursive = true,
    };

    public Option<TimeSpan?> Deadline { get; } = new("--deadline")
    {
        Description = "Deadline for each call, e.g. 250ms, 5s, 1m (default: Orders:Client:DefaultDeadline, 10s)",
        HelpName = "duration",
        Recursive = true,
        CustomParser = result => CommandLineParsers.Duration(result),
    };

    public Option<Metadata.Entry[]> Headers { get; } = new("--header")
    {
        Description = "Request metadata name=value (repeatable; -bin values in base64)",
        HelpName = "name=value",
        Recursive = true,
        CustomParser = CommandLineParsers.Headers,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Machine-readable output: one JSON object per line for every message, result and error",
        Recursive = true,
    };

    public GlobalOptions()
    {
        Address.Validators.Add(result =>
        {
            if (result.Tokens is [var token, ..] && !(Uri.TryCreate(token.Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                result.AddError($"--address: '{token.Value}' is not an http:// or https:// URL.");
            }
        });
    }

    public void AddTo(Command root)
    {
        root.Options.Add(Address);
        root.Options.Add(Deadline);
        root.Options.Add(Headers);
        root.Options.Add(Json);
    }

    public CallSettings ReadCallSettings(ParseResult parse) =>
        new(parse.GetValue(Deadline), parse.GetValue(Headers) ?? []);
}
