namespace QuantCluster.Quantization.Observers.Clipping;

/// <summary>
/// TensorRT's entropy calibration: for each candidate window, P is the histogram inside it with the counts outside
/// added to its edge bins, Q is the inside histogram (without those outliers) merged into the quantization levels and
/// spread evenly over each level's non-empty bins; the window with the smallest KL(P || Q) wins. Candidates start at
/// one bin per level (k = levels), as TensorRT's start at 128.
/// </summary>
/// <remarks>
/// Q's even spread cannot represent a point mass: a spike of m sharing its level with n - 1 non-empty bins costs about
/// m log n, which grows with the window, and a narrow window where the spike shares the last level with the clipped
/// tail, or sits alone, escapes it. So inside the window P and Q are built from <see cref="PointMasses.Flatten"/>
/// counts: a point mass is quantized to one level like its neighbours and tells nothing about the window. Outside it the
/// true counts are clipped, point masses included, so clipping them still costs what it should.
/// </remarks>
public sealed class EntropyClip : IClipSearch
{
    // ONNX Runtime's _smooth_distribution: bins where P has mass and Q none get this probability, taken evenly from Q's other bins.
    private const double Epsilon = 1e-4;

    public RangeStatistics Clip(Histogram histogram)
    {
        var bins = histogram.Bins;
        if (histogram.Total == 0) return new RangeStatistics(bins.Lo, bins.Hi);
        var counts = histogram.Counts.ToArray();
        var shape = PointMasses.Flatten(bins, counts);
        int levels = ClipWindows.Levels(bins);
        return ClipWindows.Best(bins, Math.Min(levels, bins.Count), (a, b) => Divergence(bins, counts, shape, a, b, levels));
    }

    /// <summary>
    /// KL(P || Q) of the window [a, b] (exposed for tests); infinity when the window holds no bin. P and Q take the bins
    /// inside from shape, P's edge bins the counts outside from counts.
    /// </summary>
    public static double Divergence(HistogramBins bins, long[] counts, long[] shape, double a, double b, int levels)
    {
        int first = -1, last = -1;
        for (int i = 0; i < counts.Length; i++)
        {
            if (!ClipWindows.Inside(bins, i, a, b)) continue;
            if (first < 0) first = i;
            last = i;
        }
        if (first < 0 || !(b > a)) return double.PositiveInfinity;

        int n = last - first + 1;
        var p = new double[n];
        var q = new double[n];
        var levelSum = new double[levels];
        var levelNonEmpty = new int[levels];
        var levelOf = new int[n];
        for (int i = 0; i < n; i++)
        {
            long c = shape[first + i];
            p[i] = c;
            levelOf[i] = Math.Clamp((int)Math.Floor((bins.Center(first + i) - a) / (b - a) * levels), 0, levels - 1);
            levelSum[levelOf[i]] += c;
            if (c > 0) levelNonEmpty[levelOf[i]]++;
        }
        for (int i = 0; i < first; i++) p[0] += counts[i];
        for (int i = last + 1; i < counts.Length; i++) p[n - 1] += counts[i];
        for (int i = 0; i < n; i++) q[i] = shape[first + i] > 0 ? levelSum[levelOf[i]] / levelNonEmpty[levelOf[i]] : 0;
        return KullbackLeibler(p, q);
    }

    private static double KullbackLeibler(double[] p, double[] q)
    {
        double pTotal = p.Sum(), qTotal = q.Sum();
        if (qTotal == 0) return double.PositiveInfinity;
        int zeros = 0, nonZeros = 0;
        for (int i = 0; i < q.Length; i++)
        {
            if (p[i] > 0 && q[i] == 0) zeros++;
            else if (q[i] > 0) nonZeros++;
        }
        double taken = nonZeros > 0 ? Epsilon * zeros / nonZeros : 0;
        double divergence = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] == 0) continue;
            double pi = p[i] / pTotal;
            double qi = q[i] == 0 ? Epsilon : (q[i] / qTotal) - taken;
            divergence += pi * Math.Log(pi / qi);
        }
        return divergence;
    }
}
