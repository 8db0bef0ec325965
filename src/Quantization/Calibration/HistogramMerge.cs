using QuantCluster.Quantization.Observers;

namespace QuantCluster.Quantization.Calibration;

/// <summary>Adds the shards' histograms point by point; integer addition makes the result equal a one-shard run exactly.</summary>
public static class HistogramMerge
{
    /// <param name="shards">Each shard's point names and counts, point after point, bins.Count per point.</param>
    public static Histogram[] Merge(IReadOnlyList<string> points, IReadOnlyList<HistogramBins> bins, IEnumerable<(string[] Points, long[] Counts)> shards)
    {
        var merged = bins.Select(b => new Histogram(b)).ToArray();
        foreach (var shard in shards)
        {
            if (!shard.Points.SequenceEqual(points))
                throw new InvalidDataException($"a shard reported points [{string.Join(", ", shard.Points)}]; the model has [{string.Join(", ", points)}]");
            int expected = bins.Sum(b => b.Count);
            if (shard.Counts.Length != expected)
                throw new InvalidDataException($"a shard reported {shard.Counts.Length} counts; {points.Count} points need {expected}");
            int offset = 0;
            for (int i = 0; i < points.Count; i++)
            {
                merged[i].Merge(new Histogram(bins[i], shard.Counts[offset..(offset + bins[i].Count)]));
                offset += bins[i].Count;
            }
        }
        return merged;
    }

    /// <summary>The wire form of a shard's histograms: counts point after point.</summary>
    public static long[] Flatten(IEnumerable<Histogram> histograms) => [.. histograms.SelectMany(h => h.ToArray())];
}
