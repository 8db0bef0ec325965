namespace QuantCluster.Quantization.Evaluation;

/// <summary>
/// Accuracy-driven fallback, as Intel Neural Compressor and NNCF do it: leave the most sensitive layers in FP32 one at a
/// time, re-measuring the real integer model after each, until its drop against FP32 is within the tolerance or the limit
/// is reached. Layers accumulate (a layer left in FP32 stays there), so each step costs one evaluation.
/// </summary>
public static class FallbackSearch
{
    /// <summary>The layers fallback may leave in FP32, most promising first.</summary>
    /// <param name="allowed">The layers the plan allows; null allows every layer.</param>
    /// <remarks>
    /// Highest <see cref="LayerSensitivity.AccuracyLeftInFp32"/> first: it is the accuracy of exactly the model a one-layer
    /// fallback builds (this layer's weights in FP32, every activation int8), measured with all other layers quantized, so
    /// their interactions are in it. The "all but this quantized" accuracy would mislead here: it also leaves the layer's
    /// output activation in float, which fallback cannot do (the next integer layer needs int8 input), so it puts first a
    /// layer whose loss is a badly clipped activation that falling back does not repair. Ties are common (the accuracy moves
    /// in steps of one sample, and layers that do not matter all tie near the fully quantized accuracy); they go to the
    /// lower SQNR, since more noise at the layer's output is more likely to cost accuracy on samples the sensitivity pass did
    /// not see. A layer whose quantization added no noise (SQNR null) comes last, and forward order settles the rest.
    /// </remarks>
    public static IReadOnlyList<string> Rank(IReadOnlyList<LayerSensitivity> layers, IReadOnlyCollection<string>? allowed) =>
        [.. layers
            .Select((layer, index) => (layer, index))
            .Where(x => allowed is null || allowed.Contains(x.layer.Layer, StringComparer.Ordinal))
            .OrderByDescending(x => x.layer.AccuracyLeftInFp32)
            .ThenBy(x => x.layer.SqnrDb ?? double.PositiveInfinity)
            .ThenBy(x => x.index)
            .Select(x => x.layer.Layer)];

    /// <param name="candidates">The layers in the order to leave them in FP32 (<see cref="Rank"/>).</param>
    /// <param name="fp32Accuracy">The FP32 model's test accuracy, a fraction.</param>
    /// <param name="tolerancePoints">The largest acceptable drop, in percentage points.</param>
    /// <param name="maxLayers">At most this many layers are left in FP32; 0 runs no step.</param>
    /// <param name="accuracyWith">The integer model's test accuracy with the given layers in FP32.</param>
    public static FallbackOutcome Run(
        IReadOnlyList<string> candidates, double fp32Accuracy, double tolerancePoints, int maxLayers, Func<IReadOnlyList<string>, double> accuracyWith)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(accuracyWith);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLayers);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerancePoints);
        if (candidates.Distinct(StringComparer.Ordinal).Count() != candidates.Count)
            throw new ArgumentException($"candidates name a layer twice: {string.Join(", ", candidates)}", nameof(candidates));

        var fp32Layers = new List<string>();
        var steps = new List<FallbackStep>();
        foreach (string layer in candidates.Take(maxLayers))
        {
            fp32Layers.Add(layer);
            double accuracy = accuracyWith([.. fp32Layers]);
            double drop = AccuracyDrop.Points(fp32Accuracy, accuracy);
            steps.Add(new FallbackStep(layer, [.. fp32Layers], accuracy, drop));
            if (AccuracyDrop.WithinTolerance(drop, tolerancePoints))
                return new FallbackOutcome(candidates, steps, MetTolerance: true);
        }
        return new FallbackOutcome(candidates, steps, MetTolerance: false);
    }
}
