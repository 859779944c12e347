using Grpc.Core;
using Orders.Client.Output;
using static Ecommerce.OrderManagement;

namespace Orders.Client.Commands;

/// <summary>What a running command works with: the factory-made client, its output, and the caller's call settings.</summary>
public sealed class CommandContext(OrderManagementClient client, ICommandOutput output, CallSettings settings, CancellationToken cancellationToken)
{
    public OrderManagementClient Client => client;

    public ICommandOutput Output => output;

    public CallSettings Settings => settings;

    /// <summary>Ctrl+C / SIGTERM.</summary>
    public CancellationToken CancellationToken => cancellationToken;

    public CallOptions CallOptions(TimeSpan? deadline = null, params Metadata.Entry[] extraHeaders) =>
        settings.ToCallOptions(cancellationToken, deadline, extraHeaders);
}
