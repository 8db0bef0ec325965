namespace QuantCluster.Quantization.Schemes;

/// <summary>The spellings of schemes in plans and messages, in one place so both sides agree.</summary>
public static class SchemeNames
{
    public static string Of(ActivationScheme scheme) => scheme == ActivationScheme.SymmetricInt8 ? "symmetric-int8" : "asymmetric-uint8";

    public static string Of(WeightGranularity granularity) => granularity == WeightGranularity.PerTensor ? "per-tensor" : "per-channel";

    public static ActivationScheme ParseActivations(string name) => name switch
    {
        "asymmetric-uint8" => ActivationScheme.AsymmetricUInt8,
        "symmetric-int8" => ActivationScheme.SymmetricInt8,
        _ => throw new ArgumentException($"unknown activation scheme '{name}'; expected asymmetric-uint8 or symmetric-int8", nameof(name)),
    };

    public static WeightGranularity ParseWeights(string name) => name switch
    {
        "per-channel" => WeightGranularity.PerChannel,
        "per-tensor" => WeightGranularity.PerTensor,
        _ => throw new ArgumentException($"unknown weight granularity '{name}'; expected per-channel or per-tensor", nameof(name)),
    };
}
