namespace OrdersAspire.Shared;

/// <summary>
/// The OAuth scopes Orders.Api checks in a bearer token's <c>scope</c> (or <c>scp</c>) claim, and the names of the
/// authorization policies that require them (docs/security.md).
/// </summary>
internal static class OrdersScopes
{
    /// <summary>getOrder and searchOrders; <see cref="Write"/> grants it too.</summary>
    public const string Read = "orders.read";

    /// <summary>addOrder, updateOrders, processOrders and deleteOrder.</summary>
    public const string Write = "orders.write";
}
