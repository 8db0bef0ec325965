using System.Buffers.Binary;
using System.IO.Hashing;

namespace QuantCluster.Collectives.Tcp;

/// <summary>Reads ring frames and refuses, naming the peer, any frame that is truncated, out of order, of the wrong size or corrupt.</summary>
internal sealed class FrameReader(Stream stream, string peer)
{
    private readonly byte[] _header = new byte[FrameWriter.HeaderSize];
    private uint _sequence;

    /// <summary>Reads the next frame's payload into <paramref name="destination"/>, whose length the frame must match exactly.</summary>
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

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(_header);
        var sequence = BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(4));
        var length = BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(8));
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(12));
        if (magic != FrameWriter.Magic)
        {
            throw new RingTransportException($"Frame {_sequence} from {peer} is corrupt: bad magic 0x{magic:x8} in its header.");
        }

        if (sequence != _sequence)
        {
            throw new RingTransportException($"Frame from {peer} is out of order: sequence {sequence}, expected {_sequence}.");
        }

        if (length != destination.Length)
        {
            throw new RingTransportException(
                $"Frame {_sequence} from {peer} carries {length} bytes where {destination.Length} were expected " +
                "(a corrupt header, or ranks that passed buffers of different lengths).");
        }

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
}
