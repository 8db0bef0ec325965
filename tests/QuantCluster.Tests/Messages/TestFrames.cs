using System.Buffers.Binary;
using System.IO.Hashing;

namespace QuantCluster.Tests.Messages;

/// <summary>Builds frames by the documented layout, independently of the serializer, to forge well-checksummed bad bodies.</summary>
internal static class TestFrames
{
    public static byte[] Wrap(ReadOnlySpan<byte> body, byte version = 6)
    {
        var frame = new byte[1 + 4 + body.Length + 4];
        frame[0] = version;
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(1), body.Length);
        body.CopyTo(frame.AsSpan(5));
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(5 + body.Length), Crc32.HashToUInt32(body));
        return frame;
    }

    public static byte[] BodyOf(byte[] frame) => frame[5..^4];
}
