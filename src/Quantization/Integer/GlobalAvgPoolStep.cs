namespace QuantCluster.Quantization.Integer;

/// <summary>Integer execution of an <see cref="Int8GlobalAvgPool"/>: [C, H, W] to [C, 1, 1].</summary>
internal sealed class GlobalAvgPoolStep(int channels, int height, int width) : IntegerStep
{
    public override int OutputSize => channels;

    public override void Run(ReadOnlySpan<int> input, Span<int> output, Span<int> scratch)
    {
        int count = height * width;
        for (int c = 0; c < channels; c++)
        {
            long sum = 0;
            foreach (int v in input.Slice(c * count, count))
                sum += v;
            output[c] = (int)DivideRoundHalfToEven(sum, count);
        }
    }

    /// <summary>sum / count rounded to nearest, ties to even, for count > 0 and any sign of sum.</summary>
    internal static long DivideRoundHalfToEven(long sum, long count)
    {
        long quotient = Math.DivRem(sum, count, out long remainder);
        if (remainder < 0)
        {
            // Floor division, so the remainder is in [0, count) and the tie test below is sign-free.
            quotient--;
            remainder += count;
        }

        long twice = 2 * remainder;
        if (twice > count || (twice == count && (quotient & 1) != 0))
            quotient++;
        return quotient;
    }
}
