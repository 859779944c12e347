using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Orders.Tests.Infrastructure;

/// <summary>An HTTP/2 frame as read off the wire.</summary>
public sealed record Http2Frame(byte Type, byte Flags, int StreamId, byte[] Payload)
{
    public const byte Headers = 0x1;
    public const byte RstStream = 0x3;
    public const byte Settings = 0x4;
    public const byte GoAway = 0x7;

    /// <summary>The error code of a GOAWAY or RST_STREAM frame (RFC 9113, section 7).</summary>
    public int ErrorCode => BinaryPrimitives.ReadInt32BigEndian(Payload.AsSpan(Type == GoAway ? 4 : 0));
}

/// <summary>What the server sent until it ended the connection (<paramref name="Closed"/>), or until the reader stopped waiting.</summary>
public sealed record Http2ConnectionEnd(IReadOnlyList<Http2Frame> Frames, bool Closed)
{
    public Http2Frame? GoAway => Frames.FirstOrDefault(f => f.Type == Http2Frame.GoAway);
}

/// <summary>
/// An HTTP/2 connection driven by hand (h2c, prior knowledge): header blocks of any size or number of fields, each a
/// literal HPACK field without Huffman coding, which no HTTP client sends past the limits the server advertises.
/// </summary>
public sealed class RawHttp2Connection : IAsyncDisposable
{
    private const int MaxFrameSize = 16_384;
    private const byte EndStream = 0x1;
    private const byte EndHeaders = 0x4;
    private const byte Data = 0x0;
    private const byte Continuation = 0x9;

    // The reader acknowledges SETTINGS while a request may still be being written: one frame at a time.
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly TcpClient tcp;
    private readonly NetworkStream stream;
    private readonly Uri address;

    private RawHttp2Connection(TcpClient tcp, Uri address)
    {
        this.tcp = tcp;
        this.address = address;
        stream = tcp.GetStream();
    }

    public static async Task<RawHttp2Connection> OpenAsync(Uri address)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var connection = new RawHttp2Connection(tcp, address);
        await connection.stream.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray());
        await connection.WriteFrameAsync(Http2Frame.Settings, 0, 0, ReadOnlyMemory<byte>.Empty);
        return connection;
    }

    /// <summary>
    /// A gRPC request on <paramref name="streamId"/>: its header block (in CONTINUATION frames past 16 KiB), then
    /// <paramref name="body"/>, ending the stream. A server that closes the connection mid-request cuts the writes short;
    /// what it answered is read next.
    /// </summary>
    public async Task SendGrpcRequestAsync(int streamId, string path, IEnumerable<KeyValuePair<string, string>> metadata, byte[] body)
    {
        using var block = new MemoryStream();
        KeyValuePair<string, string>[] fields =
        [
            new(":method", "POST"), new(":scheme", "http"), new(":path", path), new(":authority", address.Authority),
            new("content-type", "application/grpc"), new("te", "trailers"), .. metadata,
        ];
        foreach (var (name, value) in fields)
        {
            // Literal header field without indexing, new name (RFC 7541, section 6.2.2).
            block.WriteByte(0);
            WriteString(block, name);
            WriteString(block, value);
        }

        try
        {
            await WriteRequestAsync(streamId, block.ToArray(), body);
        }
        catch (IOException)
        {
            // The server has gone away already.
        }
    }

    private async Task WriteRequestAsync(int streamId, byte[] bytes, byte[] body)
    {
        for (var offset = 0; offset == 0 || offset < bytes.Length; offset += MaxFrameSize)
        {
            var length = Math.Min(MaxFrameSize, bytes.Length - offset);
            var last = offset + length >= bytes.Length;
            await WriteFrameAsync(offset == 0 ? Http2Frame.Headers : Continuation, last ? EndHeaders : (byte)0, streamId, bytes.AsMemory(offset, length));
        }

        await WriteFrameAsync(Data, EndStream, streamId, body);
    }

    /// <summary>
    /// Reads frames (acknowledging the server's SETTINGS) until a GOAWAY, the connection's end, or the timeout. Start it
    /// before sending a request the server will refuse mid-way: a server that closes while request bytes are still
    /// arriving resets the connection, and the reset can discard a GOAWAY it had sent that was not read yet.
    /// </summary>
    public async Task<Http2ConnectionEnd> ReadUntilClosedAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var frames = new List<Http2Frame>();
        try
        {
            while (await ReadFrameAsync(cancellation.Token) is { } frame)
            {
                frames.Add(frame);
                if (frame.Type == Http2Frame.GoAway)
                {
                    return new Http2ConnectionEnd(frames, Closed: true);
                }

                if (frame.Type == Http2Frame.Settings && (frame.Flags & 0x1) == 0)
                {
                    await WriteFrameAsync(Http2Frame.Settings, 0x1, 0, ReadOnlyMemory<byte>.Empty);
                }
            }

            return new Http2ConnectionEnd(frames, Closed: true);
        }
        catch (IOException)
        {
            return new Http2ConnectionEnd(frames, Closed: true);
        }
        catch (OperationCanceledException)
        {
            return new Http2ConnectionEnd(frames, Closed: false);
        }
    }

    public ValueTask DisposeAsync()
    {
        tcp.Dispose();
        writing.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<Http2Frame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var header = new byte[9];
        if (!await ReadExactlyOrEndAsync(header, cancellationToken))
        {
            return null;
        }

        var length = (header[0] << 16) | (header[1] << 8) | header[2];
        var payload = new byte[length];
        if (!await ReadExactlyOrEndAsync(payload, cancellationToken))
        {
            return null;
        }

        return new Http2Frame(header[3], header[4], BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue, payload);
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read == buffer.Length;
    }

    private async Task WriteFrameAsync(byte type, byte flags, int streamId, ReadOnlyMemory<byte> payload)
    {
        var header = new byte[9];
        header[0] = (byte)(payload.Length >> 16);
        header[1] = (byte)(payload.Length >> 8);
        header[2] = (byte)payload.Length;
        header[3] = type;
        header[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(5), streamId);
        await writing.WaitAsync();
        try
        {
            await stream.WriteAsync(header);
            await stream.WriteAsync(payload);
        }
        finally
        {
            writing.Release();
        }
    }

    /// <summary>An HPACK string literal, not Huffman-coded: its length as a 7-bit-prefix integer (RFC 7541, section 5.1), then its bytes.</summary>
    private static void WriteString(Stream block, string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        var length = bytes.Length;
        if (length < 127)
        {
            block.WriteByte((byte)length);
        }
        else
        {
            block.WriteByte(127);
            for (length -= 127; length >= 128; length >>= 7)
            {
                block.WriteByte((byte)((length & 0x7F) | 0x80));
            }

            block.WriteByte((byte)length);
        }

        block.Write(bytes);
    }
}
