using MessagePack;

namespace QuantCluster.Messages.Models;

/// <summary>A model's whole state on the wire: the zoo architecture's name and its checkpoint bytes (parameters, buffers and quantization state).</summary>
[MessagePackObject]
public sealed record ModelSnapshot(
    [property: Key(0)] string Architecture,
    [property: Key(1)] byte[] Checkpoint);
