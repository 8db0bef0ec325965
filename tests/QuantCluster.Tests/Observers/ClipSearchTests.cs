using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Observers.Clipping;

namespace QuantCluster.Tests.Observers;

/// <summary>Each clip search on histograms whose answer is worked out by hand in the test.</summary>
public sealed class ClipSearchTests
{
    [Fact]
    public void Percentile_of_uniform_magnitudes_is_that_fraction_of_the_range()
    {
        // 100 bins of one count over [0, 1]: 90 counts are reached at the end of bin 89, i.e. at 0.90.
        var clip = new PercentileClip(90).Clip(Uniform(new HistogramBins(0f, 1f, 100, true), 1));

        Assert.Equal(0f, clip.Min);
        Assert.Equal(0.90f, clip.Max, 1e-6f);
    }

    [Fact]
    public void Percentile_of_uniform_values_cuts_half_the_tail_on_each_side()
    {
        // 100 bins of one count over [-1, 1] (width 0.02); 99 % keeps all but 0.5 count per side, so bins 0 and 99
        // (one count each, more than 0.5) stay: nothing is cut. 90 % cuts at most 5 counts per side: [-0.9, 0.9].
        var histogram = Uniform(new HistogramBins(-1f, 1f, 100, false), 1);

        Assert.Equal(new RangeStatistics(-1f, 1f), new PercentileClip(99).Clip(histogram));
        var clip = new PercentileClip(90).Clip(histogram);
        Assert.Equal(-0.9f, clip.Min, 1e-6f);
        Assert.Equal(0.9f, clip.Max, 1e-6f);
    }

    [Fact]
    public void Percentile_ignores_a_rare_outlier()
    {
        // 999,999 values in [0, 1) and one at 1000: 99.99 % of them lie below 1, the first bin edge at or above 1.
        var bins = new HistogramBins(0f, 1000f, 2000, true);
        var counts = new long[2000];
        counts[0] = 333_333;
        counts[1] = 666_666;
        counts[^1] = 1;

        Assert.Equal(1f, new PercentileClip(99.99).Clip(new Histogram(bins, counts)).Max);
    }

    [Fact]
    public void Mse_balances_rounding_noise_against_clipping_one_outlier()
    {
        // N counts in [0, ~1] and one outlier at centre c. For 1 <= T < c the error is N (T/127)^2 / 12 + (c - T)^2,
        // a parabola with its minimum at T* = c / (1 + N / (12 * 127^2)); the search's grid step is one bin width.
        var bins = new HistogramBins(0f, 100f, 2048, true);
        var counts = new long[2048];
        const long n = 200_000;
        for (int i = 0; i < 20; i++) counts[i] = n / 20;
        counts[^1] = 1;
        double c = bins.Center(2047);
        double expected = c / (1 + (n / (12.0 * 127 * 127)));

        var clip = new MseClip().Clip(new Histogram(bins, counts));

        Assert.InRange(clip.Max, expected - bins.Width, expected + bins.Width);
    }

    [Fact]
    public void Mse_keeps_almost_all_of_a_uniform_range()
    {
        // Uniform on [0, 1]: error(T) = T^2 / (12 * 127^2) + (1 - T)^3 / 3 per unit mass, minimal where
        // T / (6 * 127^2) = (1 - T)^2, i.e. T = 0.99680 (to 5 digits); bins add at most a bin or two of discretisation.
        var bins = new HistogramBins(0f, 1f, 2048, true);

        var clip = new MseClip().Clip(Uniform(bins, 1000));

        Assert.InRange(clip.Max, 0.99680f - (2 * (float)bins.Width), 0.99680f + (2 * (float)bins.Width));
    }

    [Fact]
    public void Entropy_clips_exactly_where_the_data_ends()
    {
        // Uniform counts in the first 128 of 2048 magnitude bins: the window of 128 bins has one bin per level,
        // so Q = P and KL = 0, the smallest possible; it is also the first candidate.
        var bins = new HistogramBins(0f, 16f, 2048, true);
        var counts = new long[2048];
        for (int i = 0; i < 128; i++) counts[i] = 10;

        var clip = new EntropyClip().Clip(new Histogram(bins, counts));

        Assert.Equal(1f, clip.Max);
        Assert.Equal(0, EntropyClip.Divergence(bins, counts, counts, 0, 1, 128), 12);
    }

    [Fact]
    public void Entropy_keeps_the_whole_range_of_uniform_data()
    {
        // Uniform over all 2048 bins: the full window merges 16 equal bins per level, so Q = P (KL 0); any narrower
        // window piles the clipped counts into its last bin of P but not of Q, so KL > 0.
        var bins = new HistogramBins(0f, 2f, 2048, true);
        var histogram = Uniform(bins, 5);
        var counts = histogram.ToArray();

        Assert.Equal(2f, new EntropyClip().Clip(histogram).Max);
        Assert.True(EntropyClip.Divergence(bins, counts, counts, 0, 1, 128) > 0.1);
    }

    [Fact]
    public void Entropy_on_values_searches_windows_around_zero()
    {
        // Values in [-4, 4] (bin width 1/256), equal counts only in [-1, 1], bins 768-1279. A window takes the bins whose
        // centres it holds; k = 511 gives [-511/512, 511/512], exactly the outer centres, so it holds all the data and,
        // the counts being equal, Q = P whatever the grouping: KL 0. Every narrower window clips data: KL > 0.
        var bins = new HistogramBins(-4f, 4f, 2048, false);
        var counts = new long[2048];
        for (int i = 768; i < 1280; i++) counts[i] = 3;

        var clip = new EntropyClip().Clip(new Histogram(bins, counts));

        Assert.Equal(new RangeStatistics(-511f / 512, 511f / 512), clip);
    }

    [Fact]
    public void Entropy_is_not_fooled_by_a_spike_of_zeros()
    {
        // 90 % exact zeros (ReLU) and uniform counts over all 2048 bins: without the spike this is the uniform case,
        // whose answer is the whole range; with it counted, KL would clip to the first 128 bins.
        var bins = new HistogramBins(0f, 2f, 2048, true);
        var counts = Enumerable.Repeat(5L, 2048).ToArray();
        counts[0] = 100_000;

        Assert.Equal(2f, new EntropyClip().Clip(new Histogram(bins, counts)).Max);
    }

    [Fact]
    public void Entropy_is_not_fooled_by_a_constant_away_from_zero()
    {
        // LeNet's layer0 on MNIST: a channel with a positive bias outputs the constant ReLU(b) on every blank pixel, a
        // point mass in the middle of the magnitudes. Here: uniform counts over [0, 2] and, at bin 196, as many copies of
        // one value as lie above bin 197. KL with the spike counted is smallest at k = 198 (0.19): the spike shares
        // window's last level with the bin that takes the clipped tail, so Q there looks like P while 90 % is clipped.
        // The spike is quantized like its neighbours in any window, so the data is uniform and the whole range wins.
        var bins = new HistogramBins(0f, 2f, 2048, true);
        var counts = Enumerable.Repeat(1000L, 2048).ToArray();
        counts[196] = 1000L * (2048 - 198);

        Assert.Equal(2f, new EntropyClip().Clip(new Histogram(bins, counts)).Max);
    }

    [Fact]
    public void Entropy_clips_a_point_mass_at_its_true_count()
    {
        // Inside a window a point mass is compared flattened, but a window that clips it puts its true count into P's
        // edge bin: [0, 1] clipping the spike at bin 1800 (at 1.76) diverges more than [0, 1] on the data without it.
        var bins = new HistogramBins(0f, 2f, 2048, true);
        var plain = Enumerable.Repeat(100L, 2048).ToArray();
        var spiked = plain.ToArray();
        spiked[1800] = 100_000;
        var shape = PointMasses.Flatten(bins, spiked);

        Assert.Equal(plain, shape);
        Assert.True(EntropyClip.Divergence(bins, spiked, shape, 0, 1, 128) > EntropyClip.Divergence(bins, plain, plain, 0, 1, 128) + 0.1);
    }

    [Fact]
    public void Magnitude_clip_becomes_a_symmetric_range_within_what_was_observed()
    {
        Assert.Equal(new RangeStatistics(-2f, 1.5f), ClipToObserved.Apply(new RangeStatistics(-3f, 1.5f), new RangeStatistics(0f, 2f), magnitudes: true));
        Assert.Equal(new RangeStatistics(0f, 2f), ClipToObserved.Apply(new RangeStatistics(0f, 6f), new RangeStatistics(0f, 2f), magnitudes: true));
    }

    private static Histogram Uniform(HistogramBins bins, long perBin) =>
        new(bins, Enumerable.Repeat(perBin, bins.Count).ToArray());
}
