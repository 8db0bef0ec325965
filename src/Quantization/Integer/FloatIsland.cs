using System.Numerics;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Quantization.Integer;

/// <summary>
/// The float arithmetic of a layer left in FP32 (<see cref="Fp32Conv2d"/>, <see cref="Fp32Linear"/>): int8 in, float in
/// between, int8 out, exactly what DequantizeLinear -> float op -> QuantizeLinear computes in a QDQ graph.
/// </summary>
internal static class FloatIsland
{
    public static void Dequantize(QuantParams p, ReadOnlySpan<int> q, Span<float> real)
    {
        for (int i = 0; i < q.Length; i++)
            real[i] = p.Dequantize(q[i]);
    }

    /// <summary>Applies the activation in float, as the fake-quantized layer does before its output point, then quantizes.</summary>
    public static int Quantize(float value, FusedActivation activation, QuantParams output) => output.Quantize(activation switch
    {
        FusedActivation.Relu => MathF.Max(value, 0f),
        FusedActivation.Relu6 => Math.Clamp(value, 0f, 6f),
        _ => value,
    });

    /// <summary>sum_i a[i] * b[i] in float, <see cref="Vector{T}"/> lanes at a time.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"{a.Length} values against {b.Length}.", nameof(b));
        int width = Vector<float>.Count;
        var lanes = Vector<float>.Zero;
        int i = 0;
        for (; i <= a.Length - width; i += width)
            lanes += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        float sum = Vector.Sum(lanes);
        for (; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }
}
