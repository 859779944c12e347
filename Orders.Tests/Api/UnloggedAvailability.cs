using Microsoft.Extensions.Logging.Abstractions;
using Orders.Api.Storage;

namespace Orders.Tests.Api;

/// <summary>The availability state for a store or health check a test builds itself, logging nowhere.</summary>
internal static class UnloggedAvailability
{
    public static OrderStoreAvailability Create() => new(TimeProvider.System, NullLogger<OrderStoreAvailability>.Instance);
}
