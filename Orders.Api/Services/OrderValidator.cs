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
        var violations = new List<FieldViolation>();
        CheckId(id, field, violations);
        CheckStorable(id, field, violations);
        ThrowIfAny($"Invalid {field}", violations);
    }

    /// <summary>processOrders' ids: one that no order can have (<see cref="IsStorable"/>) is the stream's to answer, as an unknown id.</summary>
    public void ValidateProcessedId(string id)
    {
        var violations = new List<FieldViolation>();
        CheckId(id, "id", violations);
        ThrowIfAny("Invalid id", violations);
    }

    public void ValidateQuery(string query)
    {
        var violations = new List<FieldViolation>();
        CheckText(query, "query", Limits.MaxQueryLength, violations);
        ThrowIfAny("Invalid search query", violations);
    }

    /// <summary>addOrder: the id is assigned by the server, so it is not checked.</summary>
    public void ValidateNewOrder(Order order)
    {
        var violations = new List<FieldViolation>();
        CheckContent(order, prefix: "", violations);
        ThrowIfAny("Invalid order", violations);
    }

    /// <summary>updateOrders: the <paramref name="index"/>-th streamed order, which must carry its id.</summary>
    public void ValidateUpdate(Order order, int index)
    {
        var prefix = $"orders[{index}].";
        var violations = new List<FieldViolation>();
        if (index >= Limits.MaxOrdersPerUpdate)
        {
            violations.Add(RpcErrors.Violation("orders", $"At most {Limits.MaxOrdersPerUpdate} orders per call."));
        }

        CheckId(order.Id, prefix + "id", violations);
        CheckStorable(order.Id, prefix + "id", violations);
        CheckContent(order, prefix, violations);
        ThrowIfAny($"Invalid order at position {index}", violations, "; no order of this call was stored.");
    }

    private void CheckId(string id, string field, List<FieldViolation> violations)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            violations.Add(RpcErrors.Violation(field, "An order id is required."));
        }

        CheckLength(id, field, Limits.MaxIdLength, violations);
    }

    private void CheckContent(Order order, string prefix, List<FieldViolation> violations)
    {
        if (order.Items.Count == 0)
        {
            violations.Add(RpcErrors.Violation(prefix + "items", "An order needs at least one item."));
        }
        else if (order.Items.Count > Limits.MaxItemsPerOrder)
        {
            // Too many items is the whole answer: no work per item on a list the service will not take.
            violations.Add(RpcErrors.Violation(prefix + "items", $"At most {Limits.MaxItemsPerOrder} items per order (got {order.Items.Count})."));
        }

        for (var i = 0; i < order.Items.Count && order.Items.Count <= Limits.MaxItemsPerOrder; i++)
        {
            if (string.IsNullOrWhiteSpace(order.Items[i]))
            {
                violations.Add(RpcErrors.Violation($"{prefix}items[{i}]", "An item must not be empty."));
            }

            CheckText(order.Items[i], $"{prefix}items[{i}]", Limits.MaxItemLength, violations);
        }

        if (!float.IsFinite(order.Price))
        {
            violations.Add(RpcErrors.Violation(prefix + "price", "The price must be a finite number."));
        }
        else if (order.Price < 0)
        {
            violations.Add(RpcErrors.Violation(prefix + "price", "The price must not be negative."));
        }

        CheckText(order.Description, prefix + "description", Limits.MaxDescriptionLength, violations);
        CheckText(order.Destination, prefix + "destination", Limits.MaxDestinationLength, violations);
    }

    private static void CheckText(string value, string field, int maxLength, List<FieldViolation> violations)
    {
        CheckLength(value, field, maxLength, violations);
        CheckStorable(value, field, violations);
    }

    private static void CheckLength(string value, string field, int maxLength, List<FieldViolation> violations)
    {
        if (value.Length > maxLength)
        {
            violations.Add(RpcErrors.Violation(field, $"At most {maxLength} characters (got {value.Length})."));
        }
    }

    private static void CheckStorable(string value, string field, List<FieldViolation> violations)
    {
        if (IndexOfUnstorable(value) is var index and >= 0)
        {
            violations.Add(RpcErrors.Violation(field, $"Must not contain a NUL character (U+0000); found at index {index}."));
        }
    }

    private static int IndexOfUnstorable(string value) => value.IndexOf('\0');

    private void ThrowIfAny(string message, List<FieldViolation> violations, string ending = ".")
    {
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
