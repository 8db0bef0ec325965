using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Observers.Clipping;

namespace QuantCluster.Tests.Observers;

/// <summary>Which bins the entropy search treats as point masses, on histograms small enough to check by eye.</summary>
public sealed class PointMassesTests
{
    private static readonly HistogramBins Magnitudes = new(0f, 1f, 16, true);

    [Fact]
    public void Zero_and_two_neighbouring_spikes_take_their_neighbourhood_median()
    {
        long[] counts = [900, 12, 10, 11, 10, 9, 400, 380, 10, 11, 10, 12, 9, 10, 11, 10];

        long[] flat = PointMasses.Flatten(Magnitudes, counts);

        // Bin 0's neighbours 1-4 have median 10 (lower of 10, 11); bins 6 and 7 see each other but 7 of 8 small bins.
        Assert.Equal([10, 12, 10, 11, 10, 9, 10, 10, 10, 11, 10, 12, 9, 10, 11, 10], flat);
    }

    [Fact]
    public void A_smooth_density_and_a_comb_of_isolated_values_are_left_alone()
    {
        long[] smooth = [100, 120, 150, 170, 200, 230, 260, 300, 330, 300, 260, 230, 200, 170, 150, 120];
        long[] comb = [0, 0, 0, 50, 0, 0, 0, 60, 0, 0, 0, 40, 0, 0, 0, 70];

        Assert.Equal(smooth, PointMasses.Flatten(new HistogramBins(0.5f, 1f, 16, false), smooth));
        Assert.Equal(comb, PointMasses.Flatten(new HistogramBins(0.5f, 1f, 16, false), comb));
    }
}
