using QuantCluster.Quantization.Data;

namespace QuantCluster.Quantization.Evaluation;

/// <summary>
/// The digits a job's decisions are measured on: whether PTQ is within the tolerance, which layers fallback leaves in
/// FP32 and when it stops, whether mode auto goes on to QAT, and the sensitivity ranking fallback follows. Held-out
/// validation digits when the plan asks for them; otherwise the test digits, whose figures are then optimistic because
/// the report quotes the same digits.
/// </summary>
public sealed class DecisionDigits
{
    private DecisionDigits(EvaluationDigits digits, int heldOut)
    {
        Digits = digits;
        HeldOut = heldOut;
    }

    public EvaluationDigits Digits { get; }

    /// <summary>How many training digits were held out to measure the decisions on; 0 when they are the test digits.</summary>
    public int HeldOut { get; }

    public bool AreTestDigits => HeldOut == 0;

    /// <summary>Which digits, as the report says it.</summary>
    public string Description => AreTestDigits ? "test digits" : $"{HeldOut} validation digits held out from training";

    /// <summary>The split's validation digits of <paramref name="train"/>, or <paramref name="test"/> itself when the split holds none out.</summary>
    public static DecisionDigits Choose(LabeledImages train, EvaluationDigits test, DataSplit split) =>
        split.Validation.Length == 0
            ? new DecisionDigits(test, 0)
            : new DecisionDigits(new EvaluationDigits(train.Subset(split.Validation)), split.Validation.Length);

    /// <summary>
    /// The accuracy a decision saw, reusing the test figure when the decisions are measured on the test digits (so a plan
    /// without validation digits evaluates nothing twice).
    /// </summary>
    public double Measure(double testAccuracy, Func<EvaluationDigits, double> accuracyOn) => AreTestDigits ? testAccuracy : accuracyOn(Digits);
}
