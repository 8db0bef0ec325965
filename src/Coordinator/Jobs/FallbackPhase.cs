using QuantCluster.Coordinator.Plans;
using QuantCluster.Coordinator.Reporting;
using QuantCluster.Quantization.Conversion;
using QuantCluster.Quantization.Evaluation;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
using Serilog;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>
/// The job's fallback step: ranks the layers by sensitivity, leaves them in FP32 one at a time while measuring the real
/// integer model on the decision samples (as PTQ's drop against the tolerance is measured), reports each step's test
/// accuracy too, and weighs what that costs in file size.
/// Leaves <paramref name="calibrated"/> with no layer in FP32; the job decides which layers the delivered model keeps.
/// </summary>
internal static class FallbackPhase
{
    /// <param name="decisionFp32Accuracy">The FP32 model's accuracy on the decision samples, which the search's drops are against.</param>
    public static FallbackFigures Run(
        QuantizableNetwork calibrated, PtqPlan ptq, double tolerance, SensitivityFigures sensitivity, DecisionSamples decisions, EvaluationSamples test,
        double decisionFp32Accuracy, ILogger log)
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
            var outcome = FallbackSearch.Run(candidates, decisionFp32Accuracy, tolerance, ptq.Fallback.MaxLayers,
                layers => decisions.Samples.OfInteger(Convert(layers)));
            var testAccuracies = outcome.Steps.Select(s => decisions.AreTestSamples ? s.Accuracy : test.OfInteger(Convert(s.Fp32Layers))).ToArray();
            for (int i = 0; i < outcome.Steps.Count; i++)
            {
                var layers = string.Join(", ", outcome.Steps[i].Fp32Layers);
                if (decisions.AreTestSamples)
                    log.Information("Fallback: {Layers} in FP32, INT8 test accuracy {Accuracy:P2}, {Drop:0.00} points below FP32", layers, outcome.Steps[i].Accuracy, outcome.Steps[i].DropPoints);
                else
                    log.Information("Fallback: {Layers} in FP32, INT8 accuracy {Accuracy:P2} on the {Samples}, {Drop:0.00} points below FP32 (test accuracy {Test:P2})",
                        layers, outcome.Steps[i].Accuracy, decisions.Description, outcome.Steps[i].DropPoints, testAccuracies[i]);
            }
            long allInt8 = Int8ModelFile.Encode(Convert([])).Length;
            long withFallback = Int8ModelFile.Encode(Convert(outcome.Fp32Layers)).Length;
            return new FallbackFigures(ptq.Fallback.MaxLayers, outcome.Candidates, outcome.Steps, outcome.MetTolerance, allInt8, withFallback, testAccuracies);
        }
        finally
        {
            calibrated.KeepInFp32([]);
        }
    }
}
