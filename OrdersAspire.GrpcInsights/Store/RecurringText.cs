namespace OrdersAspire.GrpcInsights.Store;

/// <summary>
/// One shared copy of the short texts that recur in span after span — attribute keys, and values such as "grpc",
/// "getOrder" or "OK" — so a stored span holds only the text that is its own. A fixed table of slots, one per hash:
/// a text that collides replaces the one in its slot, so the table never grows and a sender cannot make it grow.
/// </summary>
public sealed class RecurringText
{
    /// <summary>Longer texts are ids, messages and paths, which seldom recur.</summary>
    public const int MaxLength = 64;

    private const int SlotCount = 4_096;

    // Racing exports may overwrite each other's slot; each write is a whole reference, so a read sees one text or the other.
    private readonly string?[] slots = new string?[SlotCount];

    public string Share(string text)
    {
        if (text.Length is 0 or > MaxLength)
        {
            return text;
        }

        ref var slot = ref slots[text.GetHashCode() & (SlotCount - 1)];
        if (slot is { } shared && string.Equals(shared, text, StringComparison.Ordinal))
        {
            return shared;
        }

        slot = text;
        return text;
    }
}
