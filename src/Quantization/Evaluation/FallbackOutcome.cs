namespace QuantCluster.Quantization.Evaluation;

/// <summary>One step of the fallback search: the layer it left in FP32, every layer in FP32 from then on, and the integer model's test accuracy and drop.</summary>
public sealed record FallbackStep(string Layer, IReadOnlyList<string> Fp32Layers, double Accuracy, double DropPoints);

/// <summary>What the fallback search did: the candidates in the order it would take them, its steps, and whether the last step met the tolerance.</summary>
public sealed record FallbackOutcome(IReadOnlyList<string> Candidates, IReadOnlyList<FallbackStep> Steps, bool MetTolerance)
{
    /// <summary>The layers the last step left in FP32; empty when no step ran.</summary>
    public IReadOnlyList<string> Fp32Layers => Steps.Count == 0 ? [] : Steps[^1].Fp32Layers;
}
