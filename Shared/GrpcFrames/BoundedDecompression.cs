using System.Buffers;
using Grpc.Core;
using Grpc.Net.Compression;

namespace OrdersAspire.Shared.GrpcFrames;

/// <summary>Decompression that stops one byte past the size limit: a few KB of gzip can expand to gigabytes.</summary>
internal static class BoundedDecompression
{
    /// <returns>The defect (data over the limit, or not of the encoding), or null with the whole message in <paramref name="message"/>.</returns>
    public static Status? Decompress(ICompressionProvider provider, in ReadOnlySequence<byte> compressed, int limit, string? limitSetting, out ReadOnlySequence<byte> message)
    {
        message = default;
        var output = new MemoryStream();
        try
        {
            using var decompression = provider.CreateDecompressionStream(new MemoryStream(compressed.ToArray(), writable: false));
            var chunk = new byte[81920];
            int read;
            while ((read = decompression.Read(chunk)) > 0)
            {
                if (output.Length + read > limit)
                {
                    return GrpcFrameDefects.DecompressesTooLarge(limit, limitSetting);
                }

                output.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException)
        {
            return GrpcFrameDefects.Undecompressable(provider.EncodingName);
        }

        message = new ReadOnlySequence<byte>(output.GetBuffer(), 0, (int)output.Length);
        return null;
    }
}
