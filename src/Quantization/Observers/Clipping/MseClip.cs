namespace QuantCluster.Quantization.Observers.Clipping;

/// <summary>
/// Chooses the window [a, b] that minimises the expected squared quantization error, each bin's count standing at its
/// centre c: outside the window the error is the clipping distance squared, inside it is the rounding noise step^2 / 12
/// of a uniform quantizer with step = (b - a) / (levels - 1).
/// </summary>
public sealed class MseClip : IClipSearch
{
    public RangeStatistics Clip(Histogram histogram)
    {
        var bins = histogram.Bins;
        if (histogram.Total == 0) return new RangeStatistics(bins.Lo, bins.Hi);
        var counts = histogram.Counts.ToArray();
        int levels = ClipWindows.Levels(bins);
        return ClipWindows.Best(bins, 1, (a, b) => Error(bins, counts, a, b, levels));
    }

    /// <summary>Sum over bins of count * error, the quantity the search minimises (exposed for tests).</summary>
    public static double Error(HistogramBins bins, long[] counts, double a, double b, int levels)
    {
        double step = (b - a) / (levels - 1);
        double rounding = step * step / 12;
        double error = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0) continue;
            double c = bins.Center(i);
            double e = c < a ? (a - c) * (a - c) : c > b ? (c - b) * (c - b) : rounding;
            error += counts[i] * e;
        }
        return error;
    }
}
