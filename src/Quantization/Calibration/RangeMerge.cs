using QuantCluster.Quantization.Observers;

namespace QuantCluster.Quantization.Calibration;

/// <summary>Merges the shards' observed ranges point by point; the result equals a one-shard run (min and max are associative and exact).</summary>
public static class RangeMerge
{
    public static RangeStatistics[] Merge(IReadOnlyList<string> points, IEnumerable<(string[] Points, float[] Min, float[] Max)> shards)
    {
        var merged = Enumerable.Repeat(RangeStatistics.Empty, points.Count).ToArray();
        foreach (var shard in shards)
        {
            if (!shard.Points.SequenceEqual(points))
                throw new InvalidDataException($"a shard reported points [{string.Join(", ", shard.Points)}]; the model has [{string.Join(", ", points)}]");
            if (shard.Min.Length != points.Count || shard.Max.Length != points.Count)
                throw new InvalidDataException($"a shard reported {shard.Min.Length} minima and {shard.Max.Length} maxima for {points.Count} points");
            for (int i = 0; i < points.Count; i++)
            {
                if (float.IsNaN(shard.Min[i]) || float.IsNaN(shard.Max[i]))
                    throw new InvalidDataException($"a shard reported NaN for point {points[i]}");
                merged[i] = merged[i].Merge(new RangeStatistics(shard.Min[i], shard.Max[i]));
            }
        }
        return merged;
    }
}
