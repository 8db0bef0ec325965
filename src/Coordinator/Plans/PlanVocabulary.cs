using QuantCluster.Quantization.Schemes;
using QuantCluster.Quantization.Training;

namespace QuantCluster.Coordinator.Plans;

/// <summary>Every enumerated word a plan may contain, kept in one place so the loader and its errors agree with docs/plan.md.</summary>
internal static class PlanVocabulary
{
    public static readonly Choices<JobMode> Modes = new(("ptq", JobMode.Ptq), ("qat", JobMode.Qat), ("auto", JobMode.Auto));

    public static readonly Choices<string> Models = new(("mlp", "mlp"), ("mlp-wide", "mlp-wide"), ("lenet", "lenet"), ("mobilenet-tiny", "mobilenet-tiny"));

    public static readonly Choices<GradientExchange> GradientExchanges = new(("ring", GradientExchange.Ring), ("coordinator", GradientExchange.Coordinator));

    public static readonly Choices<OptimizerChoice> Optimizers = new(("adam", OptimizerChoice.Adam), ("sgd", OptimizerChoice.Sgd));

    public static readonly Choices<CalibrationMethod> CalibrationMethods = new(
        ("minmax", CalibrationMethod.MinMax), ("percentile", CalibrationMethod.Percentile), ("entropy", CalibrationMethod.Entropy), ("mse", CalibrationMethod.Mse));

    public static readonly Choices<WeightGranularity> WeightGranularities =
        new(("per-channel", WeightGranularity.PerChannel), ("per-tensor", WeightGranularity.PerTensor));

    public static readonly Choices<ActivationScheme> ActivationSchemes =
        new(("asymmetric-uint8", ActivationScheme.AsymmetricUInt8), ("symmetric-int8", ActivationScheme.SymmetricInt8));
}
