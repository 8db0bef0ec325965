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
        int o = 0;
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<int> plane = input.Slice(c * height * width, height * width);
            for (int oy = 0; oy < OutHeight; oy++)
            {
                for (int ox = 0; ox < OutWidth; ox++)
                {
                    int best = int.MinValue;
                    for (int ky = 0; ky < k; ky++)
                    {
                        ReadOnlySpan<int> row = plane.Slice((((oy * s) + ky) * width) + (ox * s), k);
                        foreach (int v in row)
                            best = Math.Max(best, v);
                    }

                    output[o++] = best;
                }
            }
        }
    }
}
