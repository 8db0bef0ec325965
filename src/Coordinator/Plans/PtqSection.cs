using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Coordinator.Plans;

/// <summary>Reads the plan's ptq section: how calibration observes and quantizes the float model.</summary>
internal static class PtqSection
{
    public static readonly IReadOnlyList<string> Keys = ["method", "weights", "activations", "shards", "percentile", "bins", "layers", "fallback"];

    private static readonly IReadOnlyList<string> LayerKeys = ["method", "percentile"];

    private static readonly IReadOnlyList<string> FallbackKeys = ["max_layers", "allow"];

    public static PtqPlan Read(PlanSection ptq, string model, JobMode mode)
    {
        var plan = ReadDefaults(ptq);
        return plan with
        {
            Layers = ReadLayers(ptq.Section("layers", LayerNames.QuantizationPoints(ModelZoo.Architecture(model))), plan),
            Fallback = ReadFallback(ptq, model, mode),
        };
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

    /// <summary>
    /// Fallback is on by default in mode auto (PTQ, then PTQ with fallback, then QAT) and off in mode ptq, where the user
    /// asked for an INT8 model and an FP32 layer must be asked for. Mode qat never falls back, so the mapping is an error there.
    /// </summary>
    private static FallbackPlan ReadFallback(PlanSection ptq, string model, JobMode mode)
    {
        if (mode == JobMode.Qat)
        {
            if (ptq.Has("fallback"))
                throw ptq.Error("fallback", "mode qat fine-tunes every layer in INT8 and never leaves one in FP32", "allowed: fallback with mode ptq or auto");
            return FallbackPlan.Off;
        }

        var fallback = ptq.Section("fallback", FallbackKeys);
        string[] layers = LayerNames.ComputeLayers(ModelZoo.Architecture(model));
        int maxLayers = fallback.Int("max_layers", mode == JobMode.Auto ? FallbackPlan.AutoDefaultMaxLayers : 0, 0, layers.Length);
        var allow = fallback.WordList("allow", layers);
        if (allow is { Count: 0 })
        {
            throw fallback.Error("allow", "an empty list allows no layer",
                $"allowed: one or more of {string.Join(", ", layers)}; leave allow out to allow every layer, or set max_layers: 0 to turn fallback off");
        }

        return new FallbackPlan(maxLayers, allow);
    }
}
