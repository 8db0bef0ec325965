using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Coordinator.Plans;

/// <summary>Reads the plan's ptq section: how calibration observes and quantizes the float model.</summary>
internal static class PtqSection
{
    public static readonly IReadOnlyList<string> Keys = ["method", "weights", "activations", "shards", "percentile", "bins", "layers"];

    private static readonly IReadOnlyList<string> LayerKeys = ["method", "percentile"];

    public static PtqPlan Read(PlanSection ptq, string model)
    {
        var plan = ReadDefaults(ptq);
        return plan with { Layers = ReadLayers(ptq.Section("layers", QuantizationPointNames(model)), plan) };
    }

    private static PtqPlan ReadDefaults(PlanSection ptq) => new(
        Method: ptq.Choice("method", CalibrationMethod.MinMax, PlanVocabulary.CalibrationMethods),
        Weights: ptq.Choice("weights", WeightGranularity.PerChannel, PlanVocabulary.WeightGranularities),
        Activations: ptq.Choice("activations", ActivationScheme.AsymmetricUInt8, PlanVocabulary.ActivationSchemes),
        Shards: ptq.Int("shards", 2, 1, 1024),
        Percentile: ptq.Double("percentile", PtqPlan.DefaultPercentile, 50, minExclusive: false, 100),
        // Entropy needs at least one bin per quantization level (256 for uint8); 2^20 bins are 8 MB of counts per point and shard.
        Bins: ptq.Int("bins", PtqPlan.DefaultBins, 256, 1 << 20));

    /// <summary>Per-point overrides of method and percentile; null when the plan gives none, so every point uses the section's.</summary>
    private static Dictionary<string, PointCalibration>? ReadLayers(PlanSection layers, PtqPlan defaults)
    {
        var names = layers.WrittenKeys.ToList();
        if (names.Count == 0) return null;
        return names.ToDictionary(name => name, name =>
        {
            var point = layers.Section(name, LayerKeys);
            return new PointCalibration(
                point.Choice("method", defaults.Method, PlanVocabulary.CalibrationMethods),
                point.Double("percentile", defaults.Percentile, 50, minExclusive: false, 100));
        }, StringComparer.Ordinal);
    }

    // The same names QuantizableNetwork.QuantizationPoints gives, derived from the architecture so the plan is checked before any torch code runs.
    private static string[] QuantizationPointNames(string model) =>
        ["input", .. ModelZoo.Architecture(model).Select((spec, i) => (spec, i)).Where(x => x.spec is ConvSpec or LinearSpec).Select(x => $"layer{x.i}.output")];
}
