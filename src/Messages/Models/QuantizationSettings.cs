namespace QuantCluster.Messages.Models;

/// <summary>How a model is quantized: "asymmetric-uint8" or "symmetric-int8" activations, "per-channel" or "per-tensor" weights.</summary>
public sealed record QuantizationSettings(string Activations, string Weights);
