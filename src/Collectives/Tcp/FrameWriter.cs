using System.Buffers.Binary;
using System.IO.Hashing;

namespace QuantCluster.Collectives.Tcp;

/// <summary>Writes ring frames: a 16-byte header (magic, sequence, payload length, CRC-32 of the payload), then the payload.</summary>
internal sealed class FrameWriter(Stream stream)
{
    public const uint Magic = 0x31524351; // "QCR1" little-endian
    public const int HeaderSize = 16;

    private readonly byte[] _header = new byte[HeaderSize];
    private uint _sequence;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> payload, CancellationToken cancel)
    {
        var header = _header.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], _sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Crc32.HashToUInt32(payload.Span));
        // Two writes rather than a copy into one buffer: a copy would cost as much as the loopback wire itself.
        await stream.WriteAsync(_header, cancel);
        await stream.WriteAsync(payload, cancel);
        _sequence++;
    }
}
