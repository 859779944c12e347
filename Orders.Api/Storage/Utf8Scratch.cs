using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Orders.Api.Storage;

/// <summary>A string's UTF-8 for the length of one call: on the stack up to 1 KiB, else in a rented array, never a new one.</summary>
internal static class Utf8Scratch
{
    // Ids and typical items fit; 1 KiB is well inside the default 1 MiB stack.
    private const int OnStack = 1_024;

    /// <summary>Calls <paramref name="action"/> with the UTF-8 of <paramref name="text"/>, valid only until it returns.</summary>
    // Only the bytes GetBytes writes are read, so the stack buffer need not be zeroed first.
    [SkipLocalsInit]
    public static void Use<TState>(string text, TState state, ReadOnlySpanAction<byte, TState> action)
    {
        var maxLength = Encoding.UTF8.GetMaxByteCount(text.Length);
        var rented = maxLength > OnStack ? ArrayPool<byte>.Shared.Rent(maxLength) : null;
        try
        {
            Span<byte> utf8 = rented is null ? stackalloc byte[OnStack] : rented;
            action(utf8[..Encoding.UTF8.GetBytes(text, utf8)], state);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
