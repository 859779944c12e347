using Ecommerce;

namespace OrdersAspire.Shared;

/// <summary>The four sample orders (docs/contract.md): seeded by Orders.Api, restored by the client's scenario, expected by tests.</summary>
internal static class SampleOrders
{
    public const float Price = 1000;
    public const string Description = "Sample order description.";

    /// <summary>Shared instances: clone one before changing it.</summary>
    public static IReadOnlyList<Order> All { get; } =
    [
        Create("101", "Item - A", "Item - B"),
        Create("102", "Item - C"),
        Create("103", "Item - A", "Item - E"),
        Create("104", "Item - F", "Item - G"),
    ];

    private static Order Create(string id, params string[] items) =>
        new() { Id = id, Items = { items }, Price = Price, Description = Description };
}
