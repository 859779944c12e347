using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Orders.Client.Hosting;
using Orders.Client.Parsing;

namespace Orders.Client.Commands;

/// <summary>Options every command accepts, before or after the command name.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Address { get; } = new("--address")
    {
        Description = "Orders.Api address: an http:// or https:// URL (one connection), or dns:///host:port to balance calls round robin "
            + "over every address the name resolves to, e.g. the replicas behind a headless Service (plaintext h2c; re-resolved every "
            + $"{ClientLoadBalancing.DnsRefreshInterval.TotalSeconds:0} s and when a connection fails). Default: http://orders-api via service "
            + "discovery when services:orders-api:http:0 is configured, else http://localhost:50051",
        HelpName = "address",
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

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Bearer token sent with every call (default: {ClientCredentials.TokenKey}, e.g. the environment variable Orders__Client__Token, which ps does not show)",
        HelpName = "jwt",
        Recursive = true,
    };

    public Option<X509Certificate2Collection?> Ca { get; } = new("--ca")
    {
        Description = "PEM file of the CA certificate(s) to trust for the server's TLS certificate instead of the system's, e.g. a self-signed development certificate",
        HelpName = "pem-file",
        Recursive = true,
        CustomParser = CommandLineParsers.CaCertificates,
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
            if (result.Tokens is [var token, ..] && OrdersApiAddress.Problem(token.Value) is { } problem)
            {
                result.AddError($"--address: {problem}");
            }
        });
        Token.Validators.Add(result =>
        {
            // The message never repeats the value: it is a secret.
            if (result.Tokens is [var token, ..] && !IsHeaderWord(token.Value))
            {
                result.AddError("--token: a token is one word of printable ASCII characters (a JWT, for example).");
            }
        });
    }

    public void AddTo(Command root)
    {
        root.Options.Add(Address);
        root.Options.Add(Deadline);
        root.Options.Add(Headers);
        root.Options.Add(Token);
        root.Options.Add(Ca);
        root.Options.Add(Json);
    }

    public ClientCredentials ReadCredentials(ParseResult parse) => new(parse.GetValue(Token), parse.GetValue(Ca));

    private static bool IsHeaderWord(string value) => value.Length > 0 && value.All(c => c is > ' ' and <= '~');

    public CallSettings ReadCallSettings(ParseResult parse) =>
        new(parse.GetValue(Deadline), parse.GetValue(Headers) ?? []);
}
