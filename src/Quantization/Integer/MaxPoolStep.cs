namespace QuantCluster.Quantization.Integer;

/// <summary>Integer execution of an <see cref="Int8MaxPool2d"/> (no padding, floor mode) on one [C, H, W] sample.</summary>
internal sealed class MaxPoolStep(Int8MaxPool2d layer, int channels, int height, int width) : IntegerStep
{
    public int OutHeight { get; } = ((height - layer.Kernel) / layer.Stride) + 1;

    public int OutWidth { get; } = ((width - layer.Kernel) / layer.Stride) + 1;

    public override int OutputSize => channels * OutHeight * OutWidth;

    public override void Run(ReadOnlySpan<int> input, Span<int> output, Span<int> scratch)
    {
        int k = layer.Kernel, s = layer.Stride;
        int outHeight = OutHeight, outWidth = OutWidth;
        int o = 0;
        for (int c = 0; c < channels; c++)
        {
            int planeStart = c * height * width;
            for (int oy = 0; oy < outHeight; oy++)
            {
                int rowStart = planeStart + (oy * s * width);
                for (int ox = 0; ox < outWidth; ox++)
                {
                    int windowStart = rowStart + (ox * s);
                    int best = input[windowStart];
                    for (int ky = 0; ky < k; ky++)
                    {
                        int start = windowStart + (ky * width);
                        for (int kx = 0; kx < k; kx++)
                            best = Math.Max(best, input[start + kx]);
                    }

                    output[o++] = best;
                }
            }
        }
    }
}
