namespace Orders.Tests.Infrastructure;

/// <summary>
/// Sends half the call's deadline in <c>grpc-timeout</c>, so the server's deadline passes before the client's own
/// timer: tests of what the server does at its deadline otherwise race the client, whose timer cancels the call (the
/// server then sees CANCELLED) whenever a loaded machine lets it fire first.
/// </summary>
public sealed class ServerFirstDeadline() : DelegatingHandler(new SocketsHttpHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.TryGetValues("grpc-timeout", out var values) && values.Single() is { Length: > 1 } timeout
            && long.TryParse(timeout.AsSpan(0, timeout.Length - 1), out var amount) && amount > 1)
        {
            request.Headers.Remove("grpc-timeout");
            request.Headers.TryAddWithoutValidation("grpc-timeout", $"{amount / 2}{timeout[^1]}");
        }

        return base.SendAsync(request, cancellationToken);
    }
}
