using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace QuantCluster.Quantization.Integer;

/// <summary>Saves and loads an <see cref="Int8Model"/> in the checksummed "QCI8" binary format described in docs/int8-format.md.</summary>
public static class Int8ModelFile
{
    /// <summary>The format version this code writes and the only one it reads.</summary>
    public const int FormatVersion = 1;

    // Magic (4) + version (4) + body length (8).
    private const int HeaderSize = 16;
    private const int HashSize = 32;
    private static ReadOnlySpan<byte> Magic => "QCI8"u8;

    /// <summary>
    /// Writes the model to a temporary file next to <paramref name="path"/>, flushes it to disk, then moves it over the target,
    /// so readers see either the old file or the complete new one. On failure the temporary file is deleted and any previous file is untouched.
    /// </summary>
    public static void Write(string path, Int8Model model)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        string full = Path.GetFullPath(path);
        string temp = $"{full}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
                {
                    writer.Write(Magic);
                    writer.Write(FormatVersion);
                    writer.Write(0L); // Body length, patched below once known.
                    Int8ModelCodec.WriteBody(writer, model);
                    long bodyLength = stream.Length - HeaderSize;
                    stream.Position = 8;
                    writer.Write(bodyLength);
                    writer.Flush();
                }

                stream.Position = 0;
                byte[] hash = SHA256.HashData(stream);
                stream.Write(hash);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
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
        if (version != FormatVersion)
            throw Invalid(path, $"unsupported format version {version} (this reader supports {FormatVersion})");

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
            Int8Model model = Int8ModelCodec.ReadBody(reader);
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

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure is what the caller needs to see; a leftover temp file is harmless and clearly named.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
