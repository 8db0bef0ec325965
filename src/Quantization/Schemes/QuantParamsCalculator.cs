namespace QuantCluster.Quantization.Schemes;

/// <summary>Turns observed ranges into scales and zero points (the calculate_qparams step of an observer).</summary>
public static class QuantParamsCalculator
{
    /// <summary>Symmetric int8 weights use [-127, 127] so that negating a weight never overflows.</summary>
    public const int WeightQMax = 127;

    // A constant tensor has zero range; any positive scale represents it, and a tiny one would blow up requantization.
    private const float MinScale = 1e-8f;

    /// <summary>
    /// Activation parameters for the range [min, max], widened to include 0 so that zero (padding, ReLU) is exact.
    /// Asymmetric uint8: scale = (max - min) / 255, zero point = round(-min / scale). Symmetric int8: scale = max|x| / 127, zero point 0.
    /// </summary>
    public static QuantParams ForActivation(float min, float max, ActivationScheme scheme)
    {
        min = MathF.Min(min, 0f);
        max = MathF.Max(max, 0f);
        if (scheme == ActivationScheme.SymmetricInt8)
        {
            float scale = MathF.Max(MathF.Max(-min, max) / 127f, MinScale);
            return new QuantParams(scale, 0, -127, 127);
        }
        float asymmetricScale = MathF.Max((max - min) / 255f, MinScale);
        int zeroPoint = Math.Clamp((int)MathF.Round(-min / asymmetricScale, MidpointRounding.ToEven), 0, 255);
        return new QuantParams(asymmetricScale, zeroPoint, 0, 255);
    }

    /// <summary>Symmetric weight scale for a channel (or a whole tensor) whose largest magnitude is absMax.</summary>
    public static float WeightScale(float absMax) => MathF.Max(absMax / WeightQMax, MinScale);
}
