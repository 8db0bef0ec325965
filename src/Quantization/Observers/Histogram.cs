namespace QuantCluster.Quantization.Observers;

/// <summary>
/// Integer counts of values on fixed bins: memory is O(bins) however many values are added, and merging is addition,
/// which is exact and order-free, so any sharding merges to the one-node histogram.
/// </summary>
public sealed class Histogram
{
    private readonly long[] _counts;

    public Histogram(HistogramBins bins)
    {
        Bins = bins;
        _counts = new long[bins.Count];
    }

    public Histogram(HistogramBins bins, long[] counts)
    {
        if (counts.Length != bins.Count) throw new ArgumentException($"{counts.Length} counts for {bins.Count} bins", nameof(counts));
        Bins = bins;
        _counts = (long[])counts.Clone();
    }

    public HistogramBins Bins { get; }

    public ReadOnlySpan<long> Counts => _counts;

    public long Total
    {
        get
        {
            long total = 0;
            foreach (long c in _counts) total += c;
            return total;
        }
    }

    public void Add(ReadOnlySpan<float> values)
    {
        foreach (float x in values)
        {
            if (float.IsNaN(x)) throw new ArgumentException("a NaN activation cannot be binned", nameof(values));
            _counts[Bins.BinOf(x)]++;
        }
    }

    /// <summary>Adds another shard's counts; both must use the same bins, or the sum would mean nothing.</summary>
    public void Merge(Histogram other)
    {
        if (other.Bins != Bins) throw new InvalidDataException($"cannot merge a histogram on {other.Bins} into one on {Bins}");
        for (int i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
    }

    public long[] ToArray() => (long[])_counts.Clone();
}
