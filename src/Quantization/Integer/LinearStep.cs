using System.Runtime.InteropServices;

namespace QuantCluster.Quantization.Integer;

/// <summary>Integer execution of an <see cref="Int8Linear"/> on one flat sample, or on a tile of samples as one small GEMM.</summary>
internal sealed class LinearStep : IntegerStep
{
    private readonly Int8Linear layer;

    public LinearStep(Int8Linear layer) => this.layer = layer;

    public override int OutputSize => layer.OutFeatures;

    public override int ScratchSize => TileScratchSize(1);

    // The tile's channel-major accumulators, then its centered inputs as shorts, two per int (rounded up for an odd count).
    public override int TileScratchSize(int samples) => (samples * layer.OutFeatures) + (((samples * layer.InFeatures) + 1) / 2);

    /// <summary>One sample is a tile of one.</summary>
    public override void Run(ReadOnlySpan<int> input, Span<int> output, Span<int> scratch) =>
        RunTile(input, layer.InFeatures, output, 1, scratch);

    public override void RunTile(ReadOnlySpan<int> input, int inputSize, Span<int> output, int samples, Span<int> scratch)
    {
        int n = layer.InFeatures;
        int outFeatures = layer.OutFeatures;
        Span<int> acc = scratch[..(samples * outFeatures)];
        // x - zp lies in [-255, 255], so 16 bits hold it; the int8 weights stay int8 (see Int8Gemm).
        Span<short> centered = MemoryMarshal.Cast<int, short>(scratch[acc.Length..])[..(samples * n)];
        int zeroPoint = layer.Input.ZeroPoint;
        for (int s = 0; s < samples; s++)
        {
            ReadOnlySpan<int> x = input.Slice(s * inputSize, n);
            Span<short> c = centered.Slice(s * n, n);
            for (int i = 0; i < n; i++)
                c[i] = (short)(x[i] - zeroPoint);
        }

        Int8Gemm.Multiply(layer.Weights, outFeatures, n, centered, samples, acc);

        for (int o = 0; o < outFeatures; o++)
        {
            // One channel's requantizer across the tile's samples, vectorized.
            Span<int> channel = acc.Slice(o * samples, samples);
            FixedPointMultiplier.Requantize(
                channel, layer.Bias[o], layer.Requantizers[o], layer.Output.ZeroPoint, layer.ClampMin, layer.ClampMax, channel);
            for (int s = 0; s < samples; s++)
                output[(s * outFeatures) + o] = channel[s];
        }
    }
}
