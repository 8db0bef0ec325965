namespace QuantCluster.Quantization.Observers.Clipping;

/// <summary>
/// Finds the bins of a histogram that hold a point mass (many copies of one value) and flattens them to their
/// neighbourhood, for the entropy search. Exact zeros after ReLU are the point mass TensorRT and NVIDIA's
/// pytorch-quantization know about (they set bins[0] = bins[1]); a channel whose output is a constant on the
/// background (ReLU of a positive bias on MNIST's blank pixels) puts another one anywhere in the range.
/// </summary>
public static class PointMasses
{
    /// <summary>How many bins on each side form a bin's neighbourhood; a few, so that two point masses side by side are both found.</summary>
    public const int Radius = 4;

    /// <summary>
    /// A bin holding more than this many times its neighbourhood's median is a point mass. Counts of a smooth density
    /// stay within a small factor of their neighbours, while a constant's copies outnumber them by far (10x to 300x on
    /// LeNet's and MobileNet-tiny's first layers).
    /// </summary>
    public const int Factor = 4;

    /// <summary>
    /// A copy of counts where the zero bin (always, as the references do) and every other point mass take the median of
    /// their neighbourhood. A bin whose neighbourhood is mostly empty keeps its count: a comb of isolated values (the
    /// 256 pixel intensities of the input) is no point mass on a density, and flattening it would leave nothing to compare.
    /// </summary>
    public static long[] Flatten(HistogramBins bins, ReadOnlySpan<long> counts)
    {
        var flat = counts.ToArray();
        int zero = bins.Lo <= 0 && bins.Hi >= 0 && counts.Length > 1 ? bins.BinOf(0f) : -1;
        for (int i = 0; i < counts.Length; i++)
        {
            long median = NeighbourhoodMedian(counts, i);
            if (i == zero || (median > 0 && counts[i] > Factor * median)) flat[i] = Math.Min(counts[i], median);
        }
        return flat;
    }

    // The lower median of the up to 2 * Radius bins around i, i itself left out; read from the original counts, so that
    // flattening one bin never changes whether its neighbour is found.
    private static long NeighbourhoodMedian(ReadOnlySpan<long> counts, int i)
    {
        int from = Math.Max(0, i - Radius), to = Math.Min(counts.Length - 1, i + Radius);
        Span<long> around = stackalloc long[2 * Radius];
        int n = 0;
        for (int j = from; j <= to; j++)
        {
            if (j != i) around[n++] = counts[j];
        }
        if (n == 0) return counts[i];
        around = around[..n];
        around.Sort();
        return around[(n - 1) / 2];
    }
}
