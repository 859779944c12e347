using Grpc.Core;
using Grpc.Net.Compression;

namespace OrdersAspire.GrpcInsights.Otlp;

/// <summary>
/// grpc-dotnet's gzip and deflate, bounded: a message that decompresses beyond the size limit gets RESOURCE_EXHAUSTED
/// (a few KB of gzip can expand to gigabytes), and one that does not decompress gets INVALID_ARGUMENT, not UNKNOWN.
/// </summary>
internal sealed class BoundedDecompression(ICompressionProvider inner, int maxMessageSize) : ICompressionProvider
{
    public string EncodingName => inner.EncodingName;

    public Stream CreateCompressionStream(Stream stream, System.IO.Compression.CompressionLevel? compressionLevel) =>
        inner.CreateCompressionStream(stream, compressionLevel);

    public Stream CreateDecompressionStream(Stream stream) => new Reader(inner.CreateDecompressionStream(stream), EncodingName, maxMessageSize);

    private sealed class Reader(Stream decompressing, string encoding, int maxMessageSize) : Stream
    {
        private long total;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => total; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                read = decompressing.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"The {encoding}-compressed message could not be decompressed: {e.Message}"));
            }

            total += read;
            if (total > maxMessageSize)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"The {encoding}-compressed message decompresses to more than the {maxMessageSize}-byte limit (Dashboard:Otlp:MaxRequestBodySize)."));
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                decompressing.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
