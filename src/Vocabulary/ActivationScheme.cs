namespace QuantCluster.Quantization.Schemes;

/// <summary>How activations are quantized: asymmetric uint8 (zero point anywhere in [0, 255]) or symmetric int8 (zero point 0).</summary>
public enum ActivationScheme
{
    AsymmetricUInt8,
    SymmetricInt8,
}
