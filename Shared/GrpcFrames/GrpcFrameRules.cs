using System.Buffers;
using System.Buffers.Binary;
using Grpc.Core;
using Grpc.Net.Compression;

namespace OrdersAspire.Shared.GrpcFrames;

/// <summary>How far a look at the request frame at the start of a buffer got.</summary>
internal enum FrameCheck
{
    /// <summary>Nothing wrong so far, but the frame (or, for a single-message call, the request) is not complete yet.</summary>
    NeedMore,

    /// <summary>The frame holds a readable message (or the request stream ended cleanly).</summary>
    Valid,

    /// <summary>The frame cannot be read; the defect says why.</summary>
    Invalid,
}

/// <summary>
/// What grpc-dotnet would fail on while reading a request frame (5-byte prefix, then the message), checked the same way
/// but answered with the statuses of <see cref="GrpcFrameDefects"/>: the prefix, the size limit, the encoding, the
/// frame's completeness and decompression, bounded by the size limit. What the message itself must be is the caller's.
/// </summary>
/// <param name="limitSetting">The setting that sets <paramref name="maxMessageSize"/>, named in its defects; null where it has none.</param>
internal sealed class GrpcFrameRules(int maxMessageSize, string? limitSetting, IList<ICompressionProvider> compressionProviders)
{
    public const int PrefixSize = 5;
    public const string IdentityEncoding = "identity";

    /// <summary>gRPC's compression spec: an unsupported encoding is answered with the ones the server accepts, in this header.</summary>
    public const string AcceptEncodingHeader = "grpc-accept-encoding";

    public IEnumerable<string> SupportedEncodings => [IdentityEncoding, .. compressionProviders.Select(p => p.EncodingName)];

    /// <summary>Checks the frame at the start of <paramref name="buffer"/>, which is where grpc-dotnet reads the next one.</summary>
    /// <param name="singleMessage">The call takes exactly one message (unary, server-streaming): the request must end after it.</param>
    /// <param name="message">When valid, the message, decompressed; empty where a request stream ended.</param>
    public FrameCheck Check(in ReadOnlySequence<byte> buffer, bool isCompleted, bool singleMessage, string? encoding, out Status? defect, out ReadOnlySequence<byte> message)
    {
        message = default;
        defect = null;
        if (buffer.Length < PrefixSize)
        {
            if (!isCompleted)
            {
                return FrameCheck.NeedMore;
            }

            defect = buffer.IsEmpty ? (singleMessage ? GrpcFrameDefects.NoMessage() : null) : GrpcFrameDefects.IncompletePrefix(buffer.Length);
            return defect is null ? FrameCheck.Valid : FrameCheck.Invalid;
        }

        Span<byte> prefix = stackalloc byte[PrefixSize];
        buffer.Slice(0, PrefixSize).CopyTo(prefix);
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        defect = prefix[0] switch
        {
            > 1 => GrpcFrameDefects.InvalidCompressedFlag(prefix[0]),
            _ when length > maxMessageSize => GrpcFrameDefects.TooLarge(length, maxMessageSize, limitSetting),
            1 when encoding is null || encoding == IdentityEncoding => GrpcFrameDefects.CompressedWithoutEncoding(encoding),
            1 when FindProvider(encoding) is null => GrpcFrameDefects.UnsupportedEncoding(encoding, SupportedEncodings),
            _ when isCompleted && buffer.Length < PrefixSize + length => GrpcFrameDefects.Incomplete(buffer.Length - PrefixSize, length),
            _ when singleMessage && buffer.Length > PrefixSize + length => GrpcFrameDefects.TrailingData(),
            _ => null,
        };
        if (defect is not null)
        {
            return FrameCheck.Invalid;
        }

        if (buffer.Length < PrefixSize + length || (singleMessage && !isCompleted))
        {
            return FrameCheck.NeedMore;
        }

        var framed = buffer.Slice(PrefixSize, length);
        if (prefix[0] == 0)
        {
            message = framed;
            return FrameCheck.Valid;
        }

        defect = BoundedDecompression.Decompress(FindProvider(encoding!)!, framed, maxMessageSize, limitSetting, out message);

        return defect is null ? FrameCheck.Valid : FrameCheck.Invalid;
    }

    private ICompressionProvider? FindProvider(string encoding) =>
        compressionProviders.FirstOrDefault(p => string.Equals(p.EncodingName, encoding, StringComparison.Ordinal));
}
