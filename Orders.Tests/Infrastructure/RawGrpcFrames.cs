using System.Buffers.Binary;
using System.IO.Compression;

namespace Orders.Tests.Infrastructure;

/// <summary>
/// gRPC request frames built by hand (compressed flag, 4-byte big-endian length, message bytes), so the prefix can say
/// whatever a test needs, which no gRPC client would send.
/// </summary>
public static class RawGrpcFrames
{
    /// <summary>A frame of <paramref name="message"/>; <paramref name="announcedLength"/> lets its prefix lie about the length.</summary>
    public static byte[] Frame(byte[] message, byte compressedFlag = 0, uint? announcedLength = null) =>
        [.. Prefix(compressedFlag, announcedLength ?? (uint)message.Length), .. message];

    /// <summary>Just the 5-byte prefix, declaring <paramref name="length"/> bytes that may never come.</summary>
    public static byte[] Prefix(byte compressedFlag, uint length)
    {
        var prefix = new byte[5];
        prefix[0] = compressedFlag;
        BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), length);
        return prefix;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal))
        {
            gzip.Write(data);
        }

        return compressed.ToArray();
    }
}
