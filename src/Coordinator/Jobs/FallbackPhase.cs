using QuantCluster.Coordinator.Plans;
using QuantCluster.Coordinator.Reporting;
using QuantCluster.Quantization.Conversion;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Evaluation;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
using Serilog;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>
/// The job's fallback step: ranks the layers by sensitivity, leaves them in FP32 one at a time while measuring the real
/// integer model on the test digits (as PTQ's own accuracy is measured), and weighs what that costs in file size.
/// Leaves <paramref name="calibrated"/> with no layer in FP32; the job decides which layers the delivered model keeps.
/// </summary>
internal static class FallbackPhase
{
    public static FallbackFigures Run(
        QuantizableNetwork calibrated, PtqPlan ptq, double tolerance, SensitivityFigures sensitivity, LabeledImages test, float[] testPixels,
        double fp32Accuracy, ILogger log)
    {
        var candidates = FallbackSearch.Rank(sensitivity.Layers, ptq.Fallback.Allow);
        Int8Model Convert(IReadOnlyList<string> fp32Layers)
        {
            calibrated.KeepInFp32(fp32Layers);
            return Int8Converter.Convert(calibrated, ptq.Weights);
        }

        try
        {
            log.Information("Fallback: up to {Max} layers in FP32, most sensitive first: {Candidates}", ptq.Fallback.MaxLayers, string.Join(", ", candidates));
            var outcome = FallbackSearch.Run(candidates, fp32Accuracy, tolerance, ptq.Fallback.MaxLayers,
                layers => Accuracy.Of(new IntegerExecutor().Predict(Convert(layers), testPixels, test.Count), test.Labels));
            foreach (var step in outcome.Steps)
                log.Information("Fallback: {Layers} in FP32, INT8 test accuracy {Accuracy:P2}, {Drop:0.00} points below FP32",
                    string.Join(", ", step.Fp32Layers), step.Accuracy, step.DropPoints);
            long allInt8 = Int8ModelFile.Encode(Convert([])).Length;
            long withFallback = Int8ModelFile.Encode(Convert(outcome.Fp32Layers)).Length;
            return new FallbackFigures(ptq.Fallback.MaxLayers, outcome.Candidates, outcome.Steps, outcome.MetTolerance, allInt8, withFallback);
        }
        finally
        {
            calibrated.KeepInFp32([]);
        }
    }
}
