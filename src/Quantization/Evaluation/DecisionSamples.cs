using QuantCluster.Quantization.Data;

namespace QuantCluster.Quantization.Evaluation;

/// <summary>
/// The samples a job's decisions are measured on: whether PTQ is within the tolerance, which layers fallback leaves in
/// FP32 and when it stops, whether mode auto goes on to QAT, and the sensitivity ranking fallback follows. Held-out
/// validation samples when the plan asks for them; otherwise the test samples, whose figures are then optimistic because
/// the report quotes the same samples.
/// </summary>
public sealed class DecisionSamples
{
    private DecisionSamples(EvaluationSamples samples, int heldOut)
    {
        Samples = samples;
        HeldOut = heldOut;
    }

    public EvaluationSamples Samples { get; }

    /// <summary>How many training samples were held out to measure the decisions on; 0 when they are the test samples.</summary>
    public int HeldOut { get; }

    public bool AreTestSamples => HeldOut == 0;

    /// <summary>Which samples, as the report says it.</summary>
    public string Description => AreTestSamples ? "test samples" : $"{HeldOut} validation samples held out from training";

    /// <summary>The split's validation samples of <paramref name="train"/>, or <paramref name="test"/> itself when the split holds none out.</summary>
    public static DecisionSamples Choose(LabeledImages train, EvaluationSamples test, DataSplit split) =>
        split.Validation.Length == 0
            ? new DecisionSamples(test, 0)
            : new DecisionSamples(new EvaluationSamples(train.View(split.Validation)), split.Validation.Length);

    /// <summary>
    /// The accuracy a decision saw, reusing the test figure when the decisions are measured on the test samples (so a plan
    /// without validation samples evaluates nothing twice).
    /// </summary>
    public double Measure(double testAccuracy, Func<EvaluationSamples, double> accuracyOn) => AreTestSamples ? testAccuracy : accuracyOn(Samples);
}
