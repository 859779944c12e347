using Ecommerce;
using Google.Rpc;
using Microsoft.Extensions.Options;
using Orders.Api.Options;
using FieldViolation = Google.Rpc.BadRequest.Types.FieldViolation;

namespace Orders.Api.Services;

/// <summary>
/// Checks requests against <see cref="ValidationOptions"/>; every problem becomes one field violation, of which the
/// first <see cref="ValidationOptions.MaxFieldViolations"/> are sent back and the rest counted in the message.
/// </summary>
public sealed class OrderValidator(IOptions<OrdersOptions> options)
{
    private ValidationOptions Limits => options.Value.Validation;

    /// <summary>
    /// False when <paramref name="value"/> holds a NUL (U+0000): PostgreSQL's text type rejects it (SQLSTATE 22021), so no
    /// store keeps one, and no order has an id with one. It is the only such character: protobuf refuses invalid UTF-8,
    /// so a string cannot arrive holding a lone surrogate.
    /// </summary>
    public static bool IsStorable(string value) => IndexOfUnstorable(value) < 0;

    /// <summary>An id parameter (getOrder, deleteOrder).</summary>
    public void ValidateId(string id, string field)
    {
        List<FieldViolation>? violations = null;
        CheckId(id, field, ref violations);
        CheckStorable(id, field, ref violations);
        if (violations is not null)
        {
            ThrowIfAny($"Invalid {field}", violations);
        }
    }

    /// <summary>processOrders' ids: one that no order can have (<see cref="IsStorable"/>) is the stream's to answer, as an unknown id.</summary>
    public void ValidateProcessedId(string id)
    {
        List<FieldViolation>? violations = null;
        CheckId(id, "id", ref violations);
        ThrowIfAny("Invalid id", violations);
    }

    public void ValidateQuery(string query)
    {
        List<FieldViolation>? violations = null;
        CheckText(query, "query", Limits.MaxQueryLength, ref violations);
        ThrowIfAny("Invalid search query", violations);
    }

    /// <summary>addOrder: the id is assigned by the server, so it is not checked.</summary>
    public void ValidateNewOrder(Order order)
    {
        List<FieldViolation>? violations = null;
        CheckContent(order, prefix: "", ref violations);
        ThrowIfAny("Invalid order", violations);
    }

    /// <summary>updateOrders: the <paramref name="index"/>-th streamed order, which must carry its id.</summary>
    public void ValidateUpdate(Order order, int index)
    {
        var prefix = $"orders[{index}].";
        List<FieldViolation>? violations = null;
        if (index >= Limits.MaxOrdersPerUpdate)
        {
            Add(ref violations, "orders", $"At most {Limits.MaxOrdersPerUpdate} orders per call.");
        }

        CheckId(order.Id, prefix + "id", ref violations);
        CheckStorable(order.Id, prefix + "id", ref violations);
        CheckContent(order, prefix, ref violations);
        ThrowIfAny($"Invalid order at position {index}", violations, "; no order of this call was stored.");
    }

    private void CheckId(string id, string field, ref List<FieldViolation>? violations)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            Add(ref violations, field, "An order id is required.");
        }

        CheckLength(id, field, Limits.MaxIdLength, ref violations);
    }

    private void CheckContent(Order order, string prefix, ref List<FieldViolation>? violations)
    {
        if (order.Items.Count == 0)
        {
            Add(ref violations, prefix + "items", "An order needs at least one item.");
        }
        else if (order.Items.Count > Limits.MaxItemsPerOrder)
        {
            // Too many items is the whole answer: no work per item on a list the service will not take.
            Add(ref violations, prefix + "items", $"At most {Limits.MaxItemsPerOrder} items per order (got {order.Items.Count}).");
        }

        for (var i = 0; i < order.Items.Count && order.Items.Count <= Limits.MaxItemsPerOrder; i++)
        {
            if (string.IsNullOrWhiteSpace(order.Items[i]))
            {
                Add(ref violations, $"{prefix}items[{i}]", "An item must not be empty.");
            }

            CheckText(order.Items[i], $"{prefix}items[{i}]", Limits.MaxItemLength, ref violations);
        }

        if (!float.IsFinite(order.Price))
        {
            Add(ref violations, prefix + "price", "The price must be a finite number.");
        }
        else if (order.Price < 0)
        {
            Add(ref violations, prefix + "price", "The price must not be negative.");
        }

        CheckText(order.Description, prefix + "description", Limits.MaxDescriptionLength, ref violations);
        CheckText(order.Destination, prefix + "destination", Limits.MaxDestinationLength, ref violations);
    }

    private static void CheckText(string value, string field, int maxLength, ref List<FieldViolation>? violations)
    {
        CheckLength(value, field, maxLength, ref violations);
        CheckStorable(value, field, ref violations);
    }

    private static void CheckLength(string value, string field, int maxLength, ref List<FieldViolation>? violations)
    {
        if (value.Length > maxLength)
        {
            Add(ref violations, field, $"At most {maxLength} characters (got {value.Length}).");
        }
    }

    private static void CheckStorable(string value, string field, ref List<FieldViolation>? violations)
    {
        if (IndexOfUnstorable(value) is var index and >= 0)
        {
            Add(ref violations, field, $"Must not contain a NUL character (U+0000); found at index {index}.");
        }
    }

    private static int IndexOfUnstorable(string value) => value.IndexOf('\0');

    // A valid request allocates nothing: the list is made by the first violation.
    private static void Add(ref List<FieldViolation>? violations, string field, string description) =>
        (violations ??= []).Add(RpcErrors.Violation(field, description));

    private void ThrowIfAny(string message, List<FieldViolation>? violations, string ending = ".")
    {
        if (violations is null)
        {
            return;
        }

        if (violations.Count > Limits.MaxFieldViolations)
        {
            RpcErrors.ThrowInvalidArgument(
                $"{message} ({violations.Count} field violations, the first {Limits.MaxFieldViolations} listed){ending}", violations.Take(Limits.MaxFieldViolations));
        }

        if (violations.Count > 0)
        {
            RpcErrors.ThrowInvalidArgument(message + ending, violations);
        }
    }
}
