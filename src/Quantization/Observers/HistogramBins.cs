namespace QuantCluster.Quantization.Observers;

/// <summary>
/// The fixed bins every calibration shard agrees on: Count equal bins over [Lo, Hi], of the values themselves or, for
/// symmetric schemes, of their magnitudes. A value's bin depends on nothing but the value and these four numbers, so
/// histograms of any split of the data add up to the histogram of the whole.
/// </summary>
public readonly record struct HistogramBins(float Lo, float Hi, int Count, bool Magnitudes)
{
    /// <summary>Bins over the magnitudes [0, max |x|] for symmetric schemes, over [min, max] otherwise.</summary>
    public static HistogramBins For(RangeStatistics range, int count, bool magnitudes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (range.IsEmpty) throw new ArgumentException("cannot bin an empty range", nameof(range));
        return magnitudes
            ? new HistogramBins(0f, MathF.Max(MathF.Abs(range.Min), MathF.Abs(range.Max)), count, true)
            : new HistogramBins(range.Min, range.Max, count, false);
    }

    /// <summary>Bin width (Hi - Lo) / Count, in double so that edges and centres are exact enough for the clip search.</summary>
    public double Width => ((double)Hi - Lo) / Count;

    /// <summary>floor((v - Lo) / (Hi - Lo) * Count) clamped to [0, Count - 1], with v = |x| for magnitude bins; a zero-width range puts everything in bin 0.</summary>
    public int BinOf(float x)
    {
        double v = Magnitudes ? MathF.Abs(x) : x;
        double span = (double)Hi - Lo;
        if (!(span > 0)) return 0;
        double t = Math.Floor((v - Lo) / span * Count);
        return t <= 0 ? 0 : t >= Count - 1 ? Count - 1 : (int)t;
    }

    public double LeftEdge(int bin) => Lo + (bin * Width);

    public double Center(int bin) => Lo + ((bin + 0.5) * Width);
}
