using System.Runtime.InteropServices;

namespace QuantCluster.Quantization.Integer;

/// <summary>Execution of an <see cref="Fp32Conv2d"/> on one [C, H, W] sample: dequantize, direct float convolution, quantize.</summary>
/// <remarks>
/// The dequantized input goes into a zero-padded copy first (padding is real 0, as in the float model), so every output
/// reads its receptive field without bounds checks. Plain loops: a fallback layer is one layer of a few, chosen for
/// accuracy, and this keeps its arithmetic easy to check against torch's conv2d.
/// </remarks>
internal sealed class Fp32ConvStep : IntegerStep
{
    private readonly Fp32Conv2d layer;
    private readonly int height, width, paddedHeight, paddedWidth;

    public Fp32ConvStep(Fp32Conv2d layer, int height, int width)
    {
        this.layer = layer;
        this.height = height;
        this.width = width;
        paddedHeight = height + (2 * layer.Padding);
        paddedWidth = width + (2 * layer.Padding);
        OutHeight = ((paddedHeight - layer.Kernel) / layer.Stride) + 1;
        OutWidth = ((paddedWidth - layer.Kernel) / layer.Stride) + 1;
    }

    public int OutHeight { get; }

    public int OutWidth { get; }

    public override int OutputSize => layer.OutChannels * OutHeight * OutWidth;

    // The padded input, as floats in the int scratch (both 4 bytes).
    public override int ScratchSize => layer.InChannels * paddedHeight * paddedWidth;

    public override void Run(ReadOnlySpan<int> input, Span<int> output, Span<int> scratch)
    {
        int k = layer.Kernel, s = layer.Stride, pad = layer.Padding;
        Span<float> padded = MemoryMarshal.Cast<int, float>(scratch)[..ScratchSize];
        padded.Clear();
        for (int c = 0; c < layer.InChannels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                FloatIsland.Dequantize(layer.Input, input.Slice(((c * height) + y) * width, width),
                    padded.Slice((((c * paddedHeight) + y + pad) * paddedWidth) + pad, width));
            }
        }

        int inPerGroup = layer.InChannels / layer.Groups;
        int outPerGroup = layer.OutChannels / layer.Groups;
        for (int oc = 0; oc < layer.OutChannels; oc++)
        {
            int firstInput = oc / outPerGroup * inPerGroup;
            ReadOnlySpan<float> kernel = layer.Weights.AsSpan(oc * inPerGroup * k * k, inPerGroup * k * k);
            for (int oy = 0; oy < OutHeight; oy++)
            {
                for (int ox = 0; ox < OutWidth; ox++)
                {
                    float sum = 0;
                    for (int icl = 0; icl < inPerGroup; icl++)
                    {
                        for (int ky = 0; ky < k; ky++)
                        {
                            int row = ((((firstInput + icl) * paddedHeight) + (oy * s) + ky) * paddedWidth) + (ox * s);
                            for (int kx = 0; kx < k; kx++)
                                sum += kernel[(((icl * k) + ky) * k) + kx] * padded[row + kx];
                        }
                    }

                    output[(((oc * OutHeight) + oy) * OutWidth) + ox] = FloatIsland.Quantize(sum + layer.Bias[oc], layer.Activation, layer.Output);
                }
            }
        }
    }
}
