using CsCheck;
using QuantCluster.Quantization.Observers;

namespace QuantCluster.Tests.Observers;

/// <summary>Any split of the data, observed piece by piece and merged, gives exactly the statistics of the whole.</summary>
public sealed class MergePropertyTests
{
    private static readonly Gen<(float[] Values, int[] Cuts, int Bins, bool Magnitudes)> Splits =
        Gen.Select(Gen.Float[-1e4f, 1e4f].Array[1, 400], Gen.Int[0, int.MaxValue].Array[0, 8], Gen.Int[1, 300], Gen.Bool);

    [Fact]
    public void Merged_histograms_of_any_split_equal_the_histogram_of_the_whole() =>
        Splits.Sample((values, cuts, binCount, magnitudes) =>
        {
            var bins = HistogramBins.For(Range(values), binCount, magnitudes);
            var whole = new Histogram(bins);
            whole.Add(values);

            var merged = new Histogram(bins);
            foreach (var part in Pieces(values, cuts))
            {
                var shard = new Histogram(bins);
                shard.Add(part);
                merged.Merge(shard);
            }

            Assert.Equal(whole.ToArray(), merged.ToArray());
            Assert.Equal(values.Length, merged.Total);
        });

    [Fact]
    public void Merged_ranges_of_any_split_equal_the_range_of_the_whole() =>
        Splits.Sample((values, cuts, _, _) =>
        {
            var merged = Pieces(values, cuts).Aggregate(RangeStatistics.Empty, (acc, part) => acc.Merge(Range(part)));

            Assert.Equal(Range(values), merged);
        });

    private static RangeStatistics Range(float[] values) =>
        values.Aggregate(RangeStatistics.Empty, (r, x) => r.Merge(new RangeStatistics(x, x)));

    private static IEnumerable<float[]> Pieces(float[] values, int[] cuts)
    {
        int[] bounds = [0, .. cuts.Select(c => c % (values.Length + 1)).Order(), values.Length];
        for (int i = 0; i + 1 < bounds.Length; i++) yield return values[bounds[i]..bounds[i + 1]];
    }
}
