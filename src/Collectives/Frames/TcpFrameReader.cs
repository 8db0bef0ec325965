using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace QuantCluster.Collectives.Frames;

/// <summary>Reads ring frames from a byte stream (a TCP connection) and refuses, naming the peer, any that is truncated or fails its CRC-32.</summary>
/// <param name="note">Why frames are on TCP when shared memory was offered, for the transport's description; null when it was not.</param>
internal sealed class TcpFrameReader(Stream stream, string peer, string? note = null) : IFrameReader
{
    private readonly byte[] _header = new byte[FrameHeader.Size];
    private uint _sequence;
    private byte[] _incoming = [];

    public string Transport => note is null ? "tcp" : $"tcp ({note})";

    public async ValueTask ReadAsync(Memory<byte> destination, CancellationToken cancel)
    {
        var got = await stream.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, cancel);
        if (got == 0)
        {
            throw new RingTransportException($"{peer} closed the connection before frame {_sequence}.");
        }

        if (got < _header.Length)
        {
            throw new RingTransportException(
                $"{peer} closed the connection inside the header of frame {_sequence} ({got} of {_header.Length} bytes).");
        }

        var crc = FrameHeader.Check(_header, _sequence, destination.Length, peer);
        got = await stream.ReadAtLeastAsync(destination, destination.Length, throwOnEndOfStream: false, cancel);
        if (got < destination.Length)
        {
            throw new RingTransportException(
                $"{peer} closed the connection in the middle of frame {_sequence} ({got} of {destination.Length} payload bytes).");
        }

        var found = Crc32.HashToUInt32(destination.Span);
        if (found != crc)
        {
            throw new RingTransportException(
                $"Frame {_sequence} from {peer} is corrupt: CRC-32 mismatch (header 0x{crc:x8}, payload 0x{found:x8}).");
        }

        _sequence++;
    }

    public async ValueTask ReadAddAsync(Memory<float> target, CancellationToken cancel)
    {
        var bytes = target.Length * sizeof(float);
        if (_incoming.Length < bytes)
        {
            _incoming = new byte[bytes];
        }

        await ReadAsync(_incoming.AsMemory(0, bytes), cancel);
        FloatSum.AddInPlace(target.Span, MemoryMarshal.Cast<byte, float>(_incoming.AsSpan(0, bytes)));
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();
}
