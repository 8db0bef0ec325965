using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Coordinator.Plans;

/// <summary>Reads the plan's ptq section: how calibration observes and quantizes the float model.</summary>
internal static class PtqSection
{
    public static readonly IReadOnlyList<string> Keys = ["method", "weights", "activations", "shards", "percentile", "bins"];

    public static PtqPlan Read(PlanSection ptq) => new(
        Method: ptq.Choice("method", CalibrationMethod.MinMax, PlanVocabulary.CalibrationMethods),
        Weights: ptq.Choice("weights", WeightGranularity.PerChannel, PlanVocabulary.WeightGranularities),
        Activations: ptq.Choice("activations", ActivationScheme.AsymmetricUInt8, PlanVocabulary.ActivationSchemes),
        Shards: ptq.Int("shards", 2, 1, 1024),
        Percentile: ptq.Double("percentile", PtqPlan.DefaultPercentile, 50, minExclusive: false, 100),
        // Entropy needs at least one bin per quantization level (256 for uint8); 2^20 bins keep a message under 10 MB per point.
        Bins: ptq.Int("bins", PtqPlan.DefaultBins, 256, 1 << 20));
}
