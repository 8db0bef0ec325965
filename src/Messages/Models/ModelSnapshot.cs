namespace QuantCluster.Messages.Models;

/// <summary>A model's whole state on the wire: the zoo architecture's name and its checkpoint bytes (parameters, buffers and quantization state).</summary>
public sealed record ModelSnapshot(string Architecture, byte[] Checkpoint);
