using System.Runtime.InteropServices;

namespace QuantCluster.Quantization.Integer;

/// <summary>Integer execution of an <see cref="Int8Linear"/> on one flat sample.</summary>
internal sealed class LinearStep : IntegerStep
{
    private readonly Int8Linear layer;

    public LinearStep(Int8Linear layer) => this.layer = layer;

    public override int OutputSize => layer.OutFeatures;

    public override int ScratchSize => layer.InFeatures;

    public override void Run(ReadOnlySpan<int> input, Span<int> output, Span<int> scratch)
    {
        int n = layer.InFeatures;
        // x - zp lies in [-255, 255], so 16 bits hold it; the int8 weights stay int8 (see VectorMath.Dot).
        Span<short> centered = MemoryMarshal.Cast<int, short>(scratch)[..n];
        int zeroPoint = layer.Input.ZeroPoint;
        for (int i = 0; i < n; i++)
            centered[i] = (short)(input[i] - zeroPoint);

        int outZeroPoint = layer.Output.ZeroPoint;
        for (int o = 0; o < layer.OutFeatures; o++)
        {
            int acc = VectorMath.Dot(layer.Weights.AsSpan(o * n, n), centered) + layer.Bias[o];
            // In long: a saturated product plus the zero point must clamp, not wrap.
            long q = (long)FixedPointMultiplier.Apply(acc, layer.Requantizers[o]) + outZeroPoint;
            output[o] = (int)Math.Clamp(q, layer.ClampMin, layer.ClampMax);
        }
    }
}
