namespace QuantCluster.Quantization.Integer;

/// <summary>Integer execution of an <see cref="Int8Linear"/> on one flat sample.</summary>
internal sealed class LinearStep : IntegerStep
{
    private readonly Int8Linear layer;
    private readonly int[] weights;

    public LinearStep(Int8Linear layer)
    {
        this.layer = layer;
        // Widened once so the dot product runs on int32 lanes without per-call conversion.
        weights = Array.ConvertAll(layer.Weights, w => (int)w);
    }

    public override int OutputSize => layer.OutFeatures;

    public override int ScratchSize => layer.InFeatures;

    public override void Run(ReadOnlySpan<int> input, Span<int> output, Span<int> scratch)
    {
        int n = layer.InFeatures;
        Span<int> centered = scratch[..n];
        int zeroPoint = layer.Input.ZeroPoint;
        for (int i = 0; i < n; i++)
            centered[i] = input[i] - zeroPoint;

        int outZeroPoint = layer.Output.ZeroPoint;
        for (int o = 0; o < layer.OutFeatures; o++)
        {
            int acc = VectorMath.Dot(weights.AsSpan(o * n, n), centered) + layer.Bias[o];
            // In long: a saturated product plus the zero point must clamp, not wrap.
            long q = (long)FixedPointMultiplier.Apply(acc, layer.Requantizers[o]) + outZeroPoint;
            output[o] = (int)Math.Clamp(q, layer.ClampMin, layer.ClampMax);
        }
    }
}
