namespace QuantCluster.Quantization.Evaluation;

/// <summary>Accuracy and agreement of prediction vectors.</summary>
public static class Accuracy
{
    public static double Of(IReadOnlyList<int> predictions, IReadOnlyList<int> labels)
    {
        if (predictions.Count != labels.Count) throw new ArgumentException($"{predictions.Count} predictions for {labels.Count} labels");
        if (predictions.Count == 0) return 0;
        int correct = 0;
        for (int i = 0; i < predictions.Count; i++) if (predictions[i] == labels[i]) correct++;
        return (double)correct / predictions.Count;
    }

    /// <summary>The fraction of samples on which two models predict the same class.</summary>
    public static double Agreement(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"{a.Count} predictions against {b.Count}");
        if (a.Count == 0) return 1;
        int same = 0;
        for (int i = 0; i < a.Count; i++) if (a[i] == b[i]) same++;
        return (double)same / a.Count;
    }
}
