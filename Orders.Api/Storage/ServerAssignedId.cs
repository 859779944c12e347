using Ecommerce;

namespace Orders.Api.Storage;

/// <summary>
/// addOrder ignores any client id: a copy of the order gets a version-7 GUID, which never collides with the seed ids
/// or with ids clients upsert through updateOrders, and sorts by creation time.
/// </summary>
public static class ServerAssignedId
{
    public static Order Assign(Order order)
    {
        var stored = order.Clone();
        stored.Id = Guid.CreateVersion7().ToString("N");
        return stored;
    }
}
