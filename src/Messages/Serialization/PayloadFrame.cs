using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.Serialization;

namespace QuantCluster.Messages.Serialization;

/// <summary>Wraps a message body as [version:1][body length:4 LE][body][CRC-32 of body:4 LE] and checks all of it on the way back.</summary>
/// <remarks>
/// TCP already checksums, but a truncated frame, a node on another wire version or a bug in a buffer pool would otherwise
/// decode into a plausible gradient; the frame turns each of those into an error that names the message type.
/// </remarks>
internal static class PayloadFrame
{
    /// <summary>Raised whenever a record changes shape, so mixed builds refuse each other by name instead of misreading a body.</summary>
    /// <remarks>
    /// 2: calibration samples and histogram counts moved from arrays in the messages into blobs.
    /// 3: OpenRing carries the process's first replica and the replica count.
    /// 4: TrainingSettings carries the number of training samples held out for validation.
    /// 5: RegisterMember carries the member's proof of the cluster secret; MemberRefused is new.
    /// 6: DataSource carries the data's format, array layout and normalization, so nodes open .npy, .npz and image folders alike.
    /// </remarks>
    public const byte FormatVersion = 6;

    private const int HeaderSize = 1 + sizeof(int);
    private const int TrailerSize = sizeof(uint);

    public static byte[] Wrap(ReadOnlySpan<byte> body)
    {
        var frame = new byte[HeaderSize + body.Length + TrailerSize];
        frame[0] = FormatVersion;
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(1), body.Length);
        body.CopyTo(frame.AsSpan(HeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(HeaderSize + body.Length), Crc32.HashToUInt32(body));
        return frame;
    }

    /// <summary>Returns the body of a frame that passed every check.</summary>
    public static ReadOnlyMemory<byte> Unwrap(byte[] frame, string manifest)
    {
        if (frame.Length < HeaderSize + TrailerSize)
        {
            throw Corrupt(manifest, $"{frame.Length} bytes is shorter than the {HeaderSize + TrailerSize}-byte frame");
        }

        if (frame[0] != FormatVersion)
        {
            throw new SerializationException(
                $"{manifest} payload has wire format version {frame[0]}; this node reads version {FormatVersion}.");
        }

        var declaredLength = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(1));
        var actualLength = frame.Length - HeaderSize - TrailerSize;
        if (declaredLength != actualLength)
        {
            throw Corrupt(manifest, $"header declares a {declaredLength}-byte body but the frame carries {actualLength} bytes");
        }

        var body = frame.AsMemory(HeaderSize, actualLength);
        var expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(HeaderSize + actualLength));
        var foundCrc = Crc32.HashToUInt32(body.Span);
        if (expectedCrc != foundCrc)
        {
            throw Corrupt(manifest, $"CRC-32 mismatch (expected 0x{expectedCrc:X8}, found 0x{foundCrc:X8})");
        }

        return body;
    }

    private static SerializationException Corrupt(string manifest, string problem) =>
        new($"{manifest} payload corrupt: {problem}.");
}
