using MessagePack;

namespace QuantCluster.Messages.Models;

/// <summary>How a model is quantized: "asymmetric-uint8" or "symmetric-int8" activations, "per-channel" or "per-tensor" weights.</summary>
[MessagePackObject]
public sealed record QuantizationSettings(
    [property: Key(0)] string Activations,
    [property: Key(1)] string Weights);
