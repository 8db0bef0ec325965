using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace QuantCluster.Quantization.Integer;

/// <summary>Saves and loads an <see cref="Int8Model"/> in the checksummed "QCI8" binary format described in docs/int8-format.md.</summary>
public static class Int8ModelFile
{
    /// <summary>The format version this code writes: 2 added the FP32 fallback layers.</summary>
    public const int FormatVersion = 2;

    /// <summary>The oldest version this code reads: version 1 is version 2 without the FP32 layer tags, so it still reads exactly.</summary>
    public const int OldestReadableVersion = 1;

    // Magic (4) + version (4) + body length (8).
    private const int HeaderSize = 16;
    private const int HashSize = 32;
    private static ReadOnlySpan<byte> Magic => "QCI8"u8;

    /// <summary>
    /// Encodes the model in memory, then writes it with <see cref="AtomicFile"/>: readers see either the old file or the complete
    /// new one, and a failure (while encoding or writing) leaves any previous file untouched.
    /// </summary>
    public static void Write(string path, Int8Model model)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, Encode(model));
    }

    /// <summary>The whole file as <see cref="Write"/> writes it, e.g. to know a model's file size without writing it.</summary>
    public static byte[] Encode(Int8Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(0L); // Body length, patched below once known.
            Int8ModelCodec.WriteBody(writer, model);
            long bodyLength = stream.Length - HeaderSize;
            stream.Position = 8;
            writer.Write(bodyLength);
        }
        byte[] hash = SHA256.HashData(stream.GetBuffer().AsSpan(0, (int)stream.Length));
        stream.Position = stream.Length;
        stream.Write(hash);
        return stream.ToArray();
    }

    /// <summary>Reads and verifies a model file.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid QCI8 file; the message names the file and the problem.</exception>
    public static Int8Model Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length)
            throw Invalid(path, $"truncated: {bytes.Length} bytes, shorter than the magic number");
        if (!bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw Invalid(path, $"wrong magic number {Convert.ToHexString(bytes, 0, Magic.Length)} (expected \"QCI8\"); not an Int8Model file");
        if (bytes.Length < HeaderSize + HashSize)
            throw Invalid(path, $"truncated: {bytes.Length} bytes, shorter than the {HeaderSize + HashSize}-byte header and checksum");

        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        if (version < OldestReadableVersion || version > FormatVersion)
            throw Invalid(path, $"unsupported format version {version} (this reader supports {OldestReadableVersion} to {FormatVersion})");

        long bodyLength = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        long expected = HeaderSize + bodyLength + HashSize;
        if (bodyLength < 0 || expected > bytes.Length)
            throw Invalid(path, $"truncated: the header announces a {bodyLength}-byte body ({expected} bytes in all) but the file has {bytes.Length}");
        if (expected < bytes.Length)
            throw Invalid(path, $"{bytes.Length - expected} unexpected bytes after the checksum");

        int hashed = HeaderSize + (int)bodyLength;
        byte[] actual = SHA256.HashData(bytes.AsSpan(0, hashed));
        if (!actual.AsSpan().SequenceEqual(bytes.AsSpan(hashed, HashSize)))
            throw Invalid(path, "SHA-256 checksum mismatch: the file is corrupt");

        using var reader = new BinaryReader(new MemoryStream(bytes, HeaderSize, (int)bodyLength, writable: false), Encoding.UTF8);
        try
        {
            Int8Model model = Int8ModelCodec.ReadBody(reader, version);
            if (reader.BaseStream.Position != bodyLength)
                throw new InvalidDataException($"{bodyLength - reader.BaseStream.Position} unused bytes at the end of the body");
            return model;
        }
        catch (EndOfStreamException)
        {
            throw Invalid(path, "the body ends in the middle of a field");
        }
        catch (InvalidDataException e)
        {
            throw Invalid(path, e.Message);
        }
    }

    private static InvalidDataException Invalid(string path, string problem) => new($"{path}: {problem}.");
}
