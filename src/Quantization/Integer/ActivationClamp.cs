using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Quantization.Integer;

/// <summary>Computes the integer clamp range that fuses an activation into a layer's requantized output.</summary>
public static class ActivationClamp
{
    /// <summary>
    /// The [ClampMin, ClampMax] of a layer whose output uses <paramref name="output"/>: ReLU clamps below at the zero point
    /// (real 0), ReLU6 also above at the quantized 6; both stay inside [QMin, QMax].
    /// </summary>
    public static (int Min, int Max) For(FusedActivation activation, QuantParams output) => activation switch
    {
        FusedActivation.None => (output.QMin, output.QMax),
        FusedActivation.Relu => (Math.Max(output.QMin, output.ZeroPoint), output.QMax),
        FusedActivation.Relu6 => (Math.Max(output.QMin, output.ZeroPoint), output.Quantize(6f)),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown fused activation."),
    };
}
