using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Compression;

namespace Orders.Api.Requests;

/// <summary>How far a look at the request frame at the start of a buffer got.</summary>
public enum FrameCheck
{
    /// <summary>Nothing wrong so far, but the frame (or, for a single-message call, the request) is not complete yet.</summary>
    NeedMore,

    /// <summary>The frame is a readable message of the method's type (or the request stream ended cleanly).</summary>
    Valid,

    /// <summary>The frame cannot be read; the defect says why.</summary>
    Invalid,
}

/// <summary>
/// Everything grpc-dotnet would fail on while reading a request frame (5-byte prefix, then the message), checked the
/// same way but answered with the statuses of <see cref="RequestDefects"/>: the prefix, the size limit, the encoding,
/// decompression (bounded by the size limit) and protobuf parsing (which also rejects strings that are not UTF-8).
/// </summary>
public sealed class RequestFrameRules(MessageDescriptor requestType, int? maxMessageSize, IList<ICompressionProvider> compressionProviders)
{
    public const int HeaderSize = 5;

    private const string IdentityEncoding = "identity";

    /// <summary>Checks the frame at the start of <paramref name="buffer"/>, which is where grpc-dotnet reads the next one.</summary>
    /// <param name="singleMessage">The call takes exactly one message (unary, server-streaming): the request must end after it.</param>
    public FrameCheck Check(in ReadOnlySequence<byte> buffer, bool isCompleted, bool singleMessage, string? encoding, out RpcException? defect)
    {
        defect = null;
        if (buffer.Length < HeaderSize)
        {
            if (!isCompleted)
            {
                return FrameCheck.NeedMore;
            }

            defect = buffer.IsEmpty ? (singleMessage ? RequestDefects.NoMessage() : null) : RequestDefects.IncompletePrefix(buffer.Length);
            return defect is null ? FrameCheck.Valid : FrameCheck.Invalid;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        defect = header[0] switch
        {
            > 1 => RequestDefects.InvalidCompressedFlag(header[0]),
            _ when length > (maxMessageSize ?? int.MaxValue) => RequestDefects.TooLarge(length, maxMessageSize ?? int.MaxValue),
            1 when encoding is null || encoding == IdentityEncoding => RequestDefects.CompressedWithoutEncoding(encoding),
            1 when FindProvider(encoding) is null => RequestDefects.UnsupportedEncoding(encoding, SupportedEncodings()),
            _ when isCompleted && buffer.Length < HeaderSize + length => RequestDefects.Incomplete(buffer.Length - HeaderSize, length),
            _ when singleMessage && buffer.Length > HeaderSize + length => RequestDefects.TrailingData(),
            _ => null,
        };
        if (defect is not null)
        {
            return FrameCheck.Invalid;
        }

        if (buffer.Length < HeaderSize + length || (singleMessage && !isCompleted))
        {
            return FrameCheck.NeedMore;
        }

        var message = buffer.Slice(HeaderSize, length);
        defect = header[0] == 1 ? CheckCompressedMessage(message, encoding!) : CheckMessage(message);
        return defect is null ? FrameCheck.Valid : FrameCheck.Invalid;
    }

    public IEnumerable<string> SupportedEncodings() => [IdentityEncoding, .. compressionProviders.Select(p => p.EncodingName)];

    private ICompressionProvider? FindProvider(string encoding) =>
        compressionProviders.FirstOrDefault(p => string.Equals(p.EncodingName, encoding, StringComparison.Ordinal));

    private RpcException? CheckCompressedMessage(ReadOnlySequence<byte> compressed, string encoding)
    {
        var limit = maxMessageSize ?? int.MaxValue;
        using var output = new MemoryStream();
        try
        {
            using var decompression = FindProvider(encoding)!.CreateDecompressionStream(new MemoryStream(compressed.ToArray(), writable: false));
            // One byte past the limit is enough to know the message is too large: a small bomb must not fill the memory.
            var chunk = new byte[81920];
            int read;
            while ((read = decompression.Read(chunk)) > 0)
            {
                if (output.Length + read > limit)
                {
                    return RequestDefects.DecompressesTooLarge(limit);
                }

                output.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException)
        {
            return RequestDefects.Undecompressable(encoding);
        }

        return CheckMessage(new ReadOnlySequence<byte>(output.GetBuffer(), 0, (int)output.Length));
    }

    private RpcException? CheckMessage(ReadOnlySequence<byte> message)
    {
        try
        {
            requestType.Parser.ParseFrom(message);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return RequestDefects.Unparseable(requestType.FullName, ex);
        }

        return null;
    }
}
