namespace Orders.Client.Interceptors;

/// <summary>Configuration section <c>Orders:Client</c>.</summary>
public sealed class ClientCallOptions
{
    public const string SectionName = "Orders:Client";

    /// <summary><c>Orders:Client:DefaultDeadline</c> (e.g. <c>10s</c>): applied to every call that sets no deadline of its own.</summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromSeconds(10);
}
