namespace QuantCluster.Quantization.Integer;

/// <summary>Integer execution of an <see cref="Int8Conv2d"/> on one [C, H, W] sample.</summary>
/// <remarks>
/// Direct convolution without im2col. The zero-point-subtracted input is copied once into a padded buffer split into
/// Stride x Stride phases (phase (a, b) holds padded rows a, a+S, ... and columns b, b+S, ...), so that for every kernel tap the
/// inputs of all outputs form one contiguous span, whatever the stride. Each phase row is PW wide, so one tap is a single
/// multiply-accumulate over (OH - 1) * PW + OW ints into an accumulator laid out with the same row pitch; the PW - OW extra
/// columns per row are computed and ignored, which is cheaper than breaking the span. Padding is 0 after subtracting the
/// input zero point, i.e. real 0.
/// </remarks>
internal sealed class ConvStep : IntegerStep
{
    private readonly Int8Conv2d layer;
    private readonly int channels, height, width, outHeight, outWidth;
    private readonly int phaseHeight, phaseWidth, spanLength;
    private readonly int[] weights;

    public ConvStep(Int8Conv2d layer, int height, int width)
    {
        this.layer = layer;
        channels = layer.InChannels;
        this.height = height;
        this.width = width;
        int s = layer.Stride;
        outHeight = ((height + 2 * layer.Padding - layer.Kernel) / s) + 1;
        outWidth = ((width + 2 * layer.Padding - layer.Kernel) / s) + 1;
        phaseHeight = (height + 2 * layer.Padding + s - 1) / s;
        phaseWidth = (width + 2 * layer.Padding + s - 1) / s;
        spanLength = ((outHeight - 1) * phaseWidth) + outWidth;
        weights = Array.ConvertAll(layer.Weights, w => (int)w);
    }

    public int OutHeight => outHeight;

    public int OutWidth => outWidth;

    public override int OutputSize => layer.OutChannels * outHeight * outWidth;

    private int PhasesSize => layer.Stride * layer.Stride * channels * phaseHeight * phaseWidth;

    public override int ScratchSize => PhasesSize + spanLength + (2 * layer.Kernel * layer.Kernel);

    public override void Run(ReadOnlySpan<int> input, Span<int> output, Span<int> scratch)
    {
        int s = layer.Stride, k = layer.Kernel, pad = layer.Padding;
        Span<int> phases = scratch[..PhasesSize];
        Span<int> acc = scratch.Slice(PhasesSize, spanLength);
        int taps = k * k;
        Span<int> tapOffsets = scratch.Slice(PhasesSize + spanLength, taps);
        Span<int> tapWeights = scratch.Slice(PhasesSize + spanLength + taps, taps);
        int planeSize = phaseHeight * phaseWidth;

        phases.Clear();
        int zeroPoint = layer.Input.ZeroPoint;
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                int py = y + pad;
                ReadOnlySpan<int> row = input.Slice(((c * height) + y) * width, width);
                int rowStart = ((((py % s) * s * channels) + c) * planeSize) + ((py / s) * phaseWidth);
                if (s == 1)
                {
                    Span<int> target = phases.Slice(rowStart + pad, width);
                    for (int x = 0; x < width; x++)
                        target[x] = row[x] - zeroPoint;
                    continue;
                }

                // Column phase and index advance incrementally: integer division per element would dominate this copy.
                int columnPhase = pad % s, column = pad / s;
                for (int x = 0; x < width; x++)
                {
                    phases[rowStart + (columnPhase * channels * planeSize) + column] = row[x] - zeroPoint;
                    if (++columnPhase == s)
                    {
                        columnPhase = 0;
                        column++;
                    }
                }
            }
        }

        int inPerGroup = channels / layer.Groups;
        int outPerGroup = layer.OutChannels / layer.Groups;
        int outZeroPoint = layer.Output.ZeroPoint;
        for (int oc = 0; oc < layer.OutChannels; oc++)
        {
            int firstInput = oc / outPerGroup * inPerGroup;
            acc.Clear();
            for (int icl = 0; icl < inPerGroup; icl++)
            {
                int ic = firstInput + icl;
                int wBase = ((oc * inPerGroup) + icl) * taps;
                for (int ky = 0; ky < k; ky++)
                {
                    for (int kx = 0; kx < k; kx++)
                    {
                        int phase = ((ky % s) * s) + (kx % s);
                        tapOffsets[(ky * k) + kx] = (((phase * channels) + ic) * planeSize) + ((ky / s) * phaseWidth) + (kx / s);
                        tapWeights[(ky * k) + kx] = weights[wBase + (ky * k) + kx];
                    }
                }

                // One pass per chunk of taps: a 3x3 kernel reads and writes the accumulator once per input channel.
                for (int t = 0; t < taps; t += VectorMath.MaxTapsPerPass)
                {
                    int chunk = Math.Min(VectorMath.MaxTapsPerPass, taps - t);
                    VectorMath.MultiplyAccumulateTaps(acc, phases, tapOffsets.Slice(t, chunk), tapWeights.Slice(t, chunk));
                }
            }

            // Close up the PW - OW unused columns so the whole channel requantizes as one contiguous span.
            for (int oy = 1; oy < outHeight; oy++)
                acc.Slice(oy * phaseWidth, outWidth).CopyTo(acc.Slice(oy * outWidth, outWidth));
            int planeLength = outHeight * outWidth;
            FixedPointMultiplier.Requantize(
                acc[..planeLength], layer.Bias[oc], layer.Requantizers[oc], outZeroPoint, layer.ClampMin, layer.ClampMax,
                output.Slice(oc * planeLength, planeLength));
        }
    }
}
