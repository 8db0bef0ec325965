namespace QuantCluster.Quantization.Observers.Clipping;

/// <summary>
/// Clips at a percentile of the histogram. Magnitude bins: T = right edge of the first bin where the cumulative count
/// reaches p * N, so at most (1 - p) of the values are clipped. Value bins: at most (1 - p) / 2 of the values is cut on each
/// side (the split of ONNX Runtime's percentile calibrator), at bin edges.
/// </summary>
public sealed class PercentileClip : IClipSearch
{
    // Counts are whole, so the tail is too; the nudge keeps 100 * (1 - 0.9) from rounding 5 counts down to 4.
    private const double Nudge = 1e-9;

    private readonly double _percentile;

    /// <param name="percentile">In (0, 100], e.g. 99.99.</param>
    public PercentileClip(double percentile)
    {
        if (!(percentile > 0 && percentile <= 100)) throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "must be in (0, 100]");
        _percentile = percentile;
    }

    public RangeStatistics Clip(Histogram histogram)
    {
        var bins = histogram.Bins;
        long total = histogram.Total;
        if (total == 0) return new RangeStatistics(bins.Lo, bins.Hi);
        if (bins.Magnitudes)
        {
            long keep = (long)Math.Ceiling((_percentile / 100 * total) - Nudge);
            return new RangeStatistics(0f, (float)bins.LeftEdge(FirstBin(histogram.Counts, c => c >= keep) + 1));
        }
        long tail = (long)Math.Floor(((100 - _percentile) / 200 * total) + Nudge);
        // Left: the first bin that the cumulative count passes the tail in; everything before it (at most the tail) is clipped.
        int left = FirstBin(histogram.Counts, c => c > tail);
        int right = FirstBin(histogram.Counts, c => c >= total - tail);
        return new RangeStatistics((float)bins.LeftEdge(left), (float)bins.LeftEdge(right + 1));
    }

    private static int FirstBin(ReadOnlySpan<long> counts, Func<long, bool> reached)
    {
        long cumulative = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            cumulative += counts[i];
            if (reached(cumulative)) return i;
        }
        return counts.Length - 1;
    }
}
