using System.Security.Cryptography;
using System.Text;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Quantization.Models;

/// <summary>
/// A <see cref="QuantizableNetwork"/>'s state as bytes, for messages and for model.fp32.ckpt:
/// "QCCK", format version (int32), architecture (string), TorchSharp state dict (length-prefixed), SHA-256 of all before it.
/// </summary>
public static class ModelCheckpoint
{
    private const int FormatVersion = 1;
    private static readonly byte[] Magic = "QCCK"u8.ToArray();

    public static byte[] ToBytes(QuantizableNetwork network)
    {
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(network.Architecture);
            using var state = new MemoryStream();
            using (var stateWriter = new BinaryWriter(state, Encoding.UTF8, leaveOpen: true)) network.save(stateWriter);
            writer.Write(state.Length);
            writer.Write(state.GetBuffer(), 0, (int)state.Length);
        }
        var hash = SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length));
        body.Write(hash);
        return body.ToArray();
    }

    /// <summary>Rebuilds the network; source names the origin (a file path, a node) in errors.</summary>
    public static QuantizableNetwork FromBytes(byte[] bytes, string source, ActivationScheme scheme, string? expectedArchitecture = null)
    {
        if (bytes.Length < Magic.Length + 4 + 32 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"{source}: not a QuantCluster checkpoint (no QCCK header)");
        var body = bytes.AsSpan(0, bytes.Length - 32);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            throw new InvalidDataException($"{source}: checkpoint corrupt or truncated (SHA-256 mismatch)");
        using var reader = new BinaryReader(new MemoryStream(bytes, 0, body.Length), Encoding.UTF8);
        reader.ReadBytes(Magic.Length);
        int version = reader.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"{source}: checkpoint format version {version}; this build reads {FormatVersion}");
        string architecture = reader.ReadString();
        if (!ModelZoo.Names.Contains(architecture)) throw new InvalidDataException($"{source}: unknown architecture '{architecture}'");
        if (expectedArchitecture is not null && architecture != expectedArchitecture)
            throw new InvalidDataException($"{source}: checkpoint holds a '{architecture}' model, the plan asks for '{expectedArchitecture}'");
        long length = reader.ReadInt64();
        if (length != body.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"{source}: state length {length} does not match the file");
        var network = new QuantizableNetwork(architecture, scheme, seed: 0);
        try
        {
            network.load(reader, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException)
        {
            network.Dispose();
            throw new InvalidDataException($"{source}: state does not fit a '{architecture}' model: {e.Message}", e);
        }
        return network;
    }

    /// <summary>Whether the file starts with the QCCK magic (it may still be corrupt).</summary>
    public static bool IsCheckpoint(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head.SequenceEqual(Magic);
    }

    /// <summary>Writes beside the target then renames, so a crash never leaves a half-written checkpoint.</summary>
    public static void WriteFile(string path, QuantizableNetwork network) => AtomicFile.WriteAllBytes(path, ToBytes(network));

    public static QuantizableNetwork ReadFile(string path, ActivationScheme scheme, string? expectedArchitecture = null) =>
        FromBytes(File.ReadAllBytes(path), path, scheme, expectedArchitecture);
}
