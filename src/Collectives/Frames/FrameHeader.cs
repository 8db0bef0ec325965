using System.Buffers.Binary;

namespace QuantCluster.Collectives.Frames;

/// <summary>The 16 bytes before every ring frame, on any transport: magic, sequence, payload length, payload CRC-32 (0 where unchecked).</summary>
internal static class FrameHeader
{
    public const uint Magic = 0x31524351; // "QCR1" little-endian
    public const int Size = 16;

    public static void Write(Span<byte> header, uint sequence, int payloadLength, uint crc)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], crc);
    }

    /// <summary>Refuses, naming <paramref name="peer"/>, a header that is corrupt, out of order or of the wrong size; returns its CRC field.</summary>
    public static uint Check(ReadOnlySpan<byte> header, uint expectedSequence, int expectedLength, string peer)
    {
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var sequence = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (magic != Magic)
        {
            throw new RingTransportException($"Frame {expectedSequence} from {peer} is corrupt: bad magic 0x{magic:x8} in its header.");
        }

        if (sequence != expectedSequence)
        {
            throw new RingTransportException($"Frame from {peer} is out of order: sequence {sequence}, expected {expectedSequence}.");
        }

        if (length != expectedLength)
        {
            throw new RingTransportException(
                $"Frame {expectedSequence} from {peer} carries {length} bytes where {expectedLength} were expected " +
                "(a corrupt header, or ranks that passed buffers of different lengths).");
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
    }
}
