using MessagePack;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Messages.Models;

/// <summary>How a model is quantized: the activation scheme and whether weights have one scale per channel or per tensor.</summary>
[MessagePackObject]
public sealed record QuantizationSettings(
    [property: Key(0)] ActivationScheme Activations,
    [property: Key(1)] WeightGranularity Weights);
