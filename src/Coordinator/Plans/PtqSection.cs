using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Coordinator.Plans;

/// <summary>Reads the plan's ptq section: how calibration observes and quantizes the float model.</summary>
internal static class PtqSection
{
    public static readonly IReadOnlyList<string> Keys = ["method", "weights", "activations", "shards"];

    public static PtqPlan Read(PlanSection ptq) => new(
        Method: ptq.Choice("method", CalibrationMethod.MinMax, PlanVocabulary.CalibrationMethods),
        Weights: ptq.Choice("weights", WeightGranularity.PerChannel, PlanVocabulary.WeightGranularities),
        Activations: ptq.Choice("activations", ActivationScheme.AsymmetricUInt8, PlanVocabulary.ActivationSchemes),
        Shards: ptq.Int("shards", 2, 1, 1024));
}
