namespace QuantCluster.Quantization.Observers.Clipping;

/// <summary>
/// The candidate clip windows the entropy and MSE searches try: the histogram's range, with zero added, scaled by k / bins
/// for k = 1 .. bins. On magnitude bins window k is exactly bins [0, k); zero always stays inside, as the schemes need.
/// </summary>
internal static class ClipWindows
{
    /// <summary>Quantization levels the window is split into: 128 magnitudes (int8 [-127, 127] folded) or 256 values (uint8).</summary>
    public static int Levels(HistogramBins bins) => bins.Magnitudes ? 128 : 256;

    public static (double Lo, double Hi) Window(HistogramBins bins, int k)
    {
        double scale = (double)k / bins.Count;
        return (scale * Math.Min(bins.Lo, 0.0), scale * Math.Max(bins.Hi, 0.0));
    }

    /// <summary>A bin belongs to a window when its centre does; a tolerance of a millionth of a bin absorbs rounding in k * width.</summary>
    public static bool Inside(HistogramBins bins, int bin, double lo, double hi)
    {
        double c = bins.Center(bin), slack = bins.Width * 1e-6;
        return c >= lo - slack && c <= hi + slack;
    }

    /// <summary>The k with the smallest cost (the first on ties, i.e. the narrowest window), as a clip range.</summary>
    public static RangeStatistics Best(HistogramBins bins, int firstK, Func<double, double, double> cost)
    {
        double best = double.PositiveInfinity;
        int bestK = bins.Count;
        for (int k = Math.Max(1, firstK); k <= bins.Count; k++)
        {
            var (lo, hi) = Window(bins, k);
            double c = cost(lo, hi);
            if (c < best)
            {
                best = c;
                bestK = k;
            }
        }
        var (a, b) = Window(bins, bestK);
        return new RangeStatistics((float)a, (float)b);
    }
}
