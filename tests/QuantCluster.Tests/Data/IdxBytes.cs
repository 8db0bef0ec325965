using System.Buffers.Binary;
using System.IO.Compression;

namespace QuantCluster.Tests.Data;

/// <summary>Builds IDX file contents, valid or deliberately broken, for reader tests.</summary>
internal static class IdxBytes
{
    public static byte[] Build(uint magic, int[] dimensions, byte[] payload)
    {
        var bytes = new byte[4 + (4 * dimensions.Length) + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, magic);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + (4 * i)), (uint)dimensions[i]);
        }

        payload.CopyTo(bytes, 4 + (4 * dimensions.Length));
        return bytes;
    }

    public static byte[] Images(int count, int rows, int columns, byte fill = 0) =>
        Build(0x00000803, [count, rows, columns], Enumerable.Repeat(fill, count * rows * columns).ToArray());

    public static byte[] Labels(params byte[] labels) => Build(0x00000801, [labels.Length], labels);

    public static byte[] Gzip(byte[] contents)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(contents);
        }

        return buffer.ToArray();
    }
}
