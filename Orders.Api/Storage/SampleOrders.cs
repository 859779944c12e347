using Ecommerce;

namespace Orders.Api.Storage;

/// <summary>The sample data of the original service (DESIGN.md §2), loaded when <c>Orders:SeedSampleData</c> is true.</summary>
public static class SampleOrders
{
    /// <summary>The store_metadata key recording that a database was seeded, so deleted samples never come back.</summary>
    public const string SeededMarker = "sample_data_seeded";

    public static IReadOnlyList<Order> All { get; } =
    [
        Create("101", "Item - A", "Item - B"),
        Create("102", "Item - C"),
        Create("103", "Item - A", "Item - E"),
        Create("104", "Item - F", "Item - G"),
    ];

    private static Order Create(string id, params string[] items) =>
        new() { Id = id, Items = { items }, Price = 1000, Description = "Sample order description." };
}
