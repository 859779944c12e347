using Grpc.Core;

namespace Orders.Client.Commands;

/// <summary>What <c>--deadline</c> and <c>--header</c> ask of every call; turned into fresh CallOptions per call.</summary>
public sealed record CallSettings(TimeSpan? Deadline, IReadOnlyList<Metadata.Entry> Headers)
{
    /// <param name="deadline">Overrides <c>--deadline</c> for this call.</param>
    /// <param name="extraHeaders">Sent in addition to the <c>--header</c> entries.</param>
    public CallOptions ToCallOptions(CancellationToken cancellationToken, TimeSpan? deadline = null, params Metadata.Entry[] extraHeaders)
    {
        var headers = new Metadata();
        foreach (var entry in Headers.Concat(extraHeaders))
        {
            headers.Add(entry);
        }

        // No deadline here means "none chosen": the client interceptor then applies Orders:Client:DefaultDeadline.
        var budget = deadline ?? Deadline;
        return new CallOptions(headers, budget is { } d ? DateTime.UtcNow + d : null, cancellationToken);
    }
}
