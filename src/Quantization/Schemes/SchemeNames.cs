namespace QuantCluster.Quantization.Schemes;

/// <summary>The spellings of schemes in reports, as plans write them.</summary>
public static class SchemeNames
{
    public static string Of(ActivationScheme scheme) => scheme == ActivationScheme.SymmetricInt8 ? "symmetric-int8" : "asymmetric-uint8";

    public static string Of(WeightGranularity granularity) => granularity == WeightGranularity.PerTensor ? "per-tensor" : "per-channel";
}
