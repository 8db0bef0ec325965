using System.IO.Hashing;

namespace QuantCluster.Collectives.Frames;

/// <summary>Writes ring frames to a byte stream (a TCP connection), each payload covered by a CRC-32 in its header.</summary>
internal sealed class TcpFrameWriter(Stream stream) : IFrameWriter
{
    private readonly byte[] _header = new byte[FrameHeader.Size];
    private uint _sequence;

    public string Transport => "tcp";

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> payload, CancellationToken cancel)
    {
        FrameHeader.Write(_header, _sequence, payload.Length, Crc32.HashToUInt32(payload.Span));
        // Two writes rather than a copy into one buffer: a copy would cost as much as the loopback wire itself.
        await stream.WriteAsync(_header, cancel);
        await stream.WriteAsync(payload, cancel);
        _sequence++;
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();
}
