namespace QuantCluster.Quantization.Evaluation;

/// <summary>An INT8 model's accuracy drop against FP32 in percentage points, and the tolerance test every phase shares.</summary>
public static class AccuracyDrop
{
    public static double Points(double fp32Accuracy, double accuracy) => (fp32Accuracy - accuracy) * 100;

    /// <summary>
    /// Whether a drop is within the tolerance. Accuracies are counts over the test set, and their difference times 100 can
    /// land a rounding error above a tolerance it equals (0.98 - 0.975 gives 0.5000000000000004 points), hence the slack of
    /// a billionth of a point, far below one test sample.
    /// </summary>
    public static bool WithinTolerance(double dropPoints, double tolerancePoints) => dropPoints <= tolerancePoints + 1e-9;
}
