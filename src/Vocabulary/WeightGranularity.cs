namespace QuantCluster.Quantization.Schemes;

/// <summary>Whether a layer's weights share one scale or have one per output channel (always symmetric int8 in [-127, 127]).</summary>
public enum WeightGranularity
{
    PerChannel,
    PerTensor,
}
