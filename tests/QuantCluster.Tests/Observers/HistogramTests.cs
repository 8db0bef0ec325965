using QuantCluster.Quantization.Observers;

namespace QuantCluster.Tests.Observers;

public sealed class HistogramTests
{
    [Theory]
    [InlineData(-1f, 0)]
    [InlineData(-0.5f, 1)]
    [InlineData(0f, 2)]
    [InlineData(0.99f, 3)]
    [InlineData(1f, 3)]
    [InlineData(5f, 3)]
    [InlineData(-7f, 0)]
    public void Values_fall_in_equal_bins_and_the_ends_are_clamped(float x, int bin) =>
        Assert.Equal(bin, new HistogramBins(-1f, 1f, 4, false).BinOf(x));

    [Fact]
    public void Magnitude_bins_cover_zero_to_the_largest_magnitude_and_fold_signs()
    {
        var bins = HistogramBins.For(new RangeStatistics(-3f, 2f), 3, magnitudes: true);

        Assert.Equal(new HistogramBins(0f, 3f, 3, true), bins);
        Assert.Equal(bins.BinOf(2.5f), bins.BinOf(-2.5f));
        Assert.Equal(2, bins.BinOf(-3f));
    }

    [Fact]
    public void A_constant_activation_lands_in_the_first_bin() =>
        Assert.Equal(0, new HistogramBins(2f, 2f, 8, false).BinOf(2f));

    [Fact]
    public void Merging_adds_counts()
    {
        var bins = new HistogramBins(0f, 4f, 4, false);
        var a = new Histogram(bins);
        a.Add([0.5f, 1.5f, 1.6f]);
        var b = new Histogram(bins);
        b.Add([3.9f, 1.1f]);

        a.Merge(b);

        Assert.Equal([1L, 3L, 0L, 1L], a.ToArray());
        Assert.Equal(5, a.Total);
    }

    [Fact]
    public void Histograms_on_other_bins_are_not_merged()
    {
        var a = new Histogram(new HistogramBins(0f, 4f, 4, false));

        var error = Assert.Throws<InvalidDataException>(() => a.Merge(new Histogram(new HistogramBins(0f, 5f, 4, false))));

        Assert.Contains("cannot merge", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaN_is_rejected_rather_than_counted() =>
        Assert.Throws<ArgumentException>(() => new Histogram(new HistogramBins(0f, 1f, 2, false)).Add([float.NaN]));
}
