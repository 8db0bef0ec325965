using System.Runtime.InteropServices;

namespace QuantCluster.Quantization.Integer;

/// <summary>Execution of an <see cref="Fp32Linear"/> on one flat sample: dequantize, float matrix-vector product, quantize.</summary>
internal sealed class Fp32LinearStep(Fp32Linear layer) : IntegerStep
{
    public override int OutputSize => layer.OutFeatures;

    // The dequantized input, as floats in the int scratch (both 4 bytes).
    public override int ScratchSize => layer.InFeatures;

    public override void Run(ReadOnlySpan<int> input, Span<int> output, Span<int> scratch)
    {
        int n = layer.InFeatures;
        Span<float> x = MemoryMarshal.Cast<int, float>(scratch)[..n];
        FloatIsland.Dequantize(layer.Input, input[..n], x);
        for (int o = 0; o < layer.OutFeatures; o++)
        {
            float y = layer.Bias[o] + FloatIsland.Dot(layer.Weights.AsSpan(o * n, n), x);
            output[o] = FloatIsland.Quantize(y, layer.Activation, layer.Output);
        }
    }
}
