using Ecommerce;

namespace Orders.Api.Services;

/// <summary>processOrders' pending shipments: found orders grouped by destination, in first-arrival order.</summary>
public sealed class ShipmentBatch(int batchSize)
{
    public const string ProcessedStatus = "PROCESSED";
    public const string NotFoundStatus = "NOT_FOUND";

    private readonly List<CombinedShipment> shipments = [];
    private readonly Dictionary<string, CombinedShipment> byDestination = new(StringComparer.Ordinal);
    private int orderCount;

    /// <summary>Adds a found order; true when the batch is full and must be flushed.</summary>
    public bool Add(Order order)
    {
        if (!byDestination.TryGetValue(order.Destination, out var shipment))
        {
            shipment = NewShipment(ProcessedStatus);
            byDestination.Add(order.Destination, shipment);
            shipments.Add(shipment);
        }

        shipment.OrdersList.Add(order);
        return ++orderCount >= batchSize;
    }

    /// <summary>Returns the pending shipments and starts afresh.</summary>
    public IReadOnlyList<CombinedShipment> Drain()
    {
        var drained = shipments.ToArray();
        shipments.Clear();
        byDestination.Clear();
        orderCount = 0;
        return drained;
    }

    /// <summary>The in-band answer for an unknown id: one order carrying only that id.</summary>
    public static CombinedShipment NotFound(string id)
    {
        var shipment = NewShipment(NotFoundStatus);
        shipment.OrdersList.Add(new Order { Id = id });
        return shipment;
    }

    private static CombinedShipment NewShipment(string status) => new() { Id = Guid.NewGuid().ToString("N"), Status = status };
}
