using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Observers.Clipping;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Tests.Quantization;

/// <summary>The histogram pass sharded across nodes must merge to exactly the one-node histograms, and so give the same scales bit for bit.</summary>
[Collection(TorchTests.Name)]
public sealed class HistogramCalibrationTests
{
    private const int BatchSize = 16;
    private const int Bins = 256;

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(7, true)]
    public void Merged_shard_histograms_equal_the_one_shard_histograms_and_give_identical_scales(int shardCount, bool magnitudes)
    {
        var data = SyntheticData.Images(90, seed: 23);
        int[] samples = [.. Enumerable.Range(0, data.Count).OrderBy(i => (i * 41) % 97)];
        var scheme = magnitudes ? ActivationScheme.SymmetricInt8 : ActivationScheme.AsymmetricUInt8;
        using var network = new QuantizableNetwork("lenet", scheme, seed: 6);
        byte[] checkpoint = ModelCheckpoint.ToBytes(network);
        var ranges = ShardCalibrator.Observe(network, data, samples, BatchSize);
        string[] points = [.. ranges.Select(r => r.Name)];
        HistogramBins[] bins = [.. ranges.Select(r => HistogramBins.For(r.Range, Bins, magnitudes))];

        var whole = ShardCalibrator.ObserveHistograms(network, data, samples, BatchSize, bins);
        var shards = Enumerable.Range(0, shardCount).Select(s =>
        {
            int start = samples.Length * s / shardCount, end = samples.Length * (s + 1) / shardCount;
            var observed = ShardCalibrator.ObserveHistograms("lenet", checkpoint, scheme, data, samples[start..end], BatchSize, bins, $"shard {s}");
            return ((string[])[.. observed.Select(o => o.Name)], HistogramMerge.Flatten(observed.Select(o => o.Histogram)));
        }).ToList();
        var merged = HistogramMerge.Merge(points, bins, shards);

        IClipSearch[] searches = [new PercentileClip(99.9), new EntropyClip(), new MseClip()];
        for (int i = 0; i < points.Length; i++)
        {
            Assert.Equal(whole[i].Histogram.ToArray(), merged[i].ToArray());
            foreach (var search in searches)
            {
                var one = QuantParamsCalculator.ForActivation(search.Clip(whole[i].Histogram).Min, search.Clip(whole[i].Histogram).Max, scheme);
                var many = QuantParamsCalculator.ForActivation(search.Clip(merged[i]).Min, search.Clip(merged[i]).Max, scheme);
                Assert.Equal(BitConverter.SingleToInt32Bits(one.Scale), BitConverter.SingleToInt32Bits(many.Scale));
                Assert.Equal(one.ZeroPoint, many.ZeroPoint);
            }
        }
    }

    [Fact]
    public void Padding_rows_of_the_last_batch_are_not_counted()
    {
        var data = SyntheticData.Images(20, seed: 3);
        using var network = new QuantizableNetwork("lenet", ActivationScheme.AsymmetricUInt8, seed: 6);
        var ranges = ShardCalibrator.Observe(network, data, [.. Enumerable.Range(0, 20)], BatchSize);
        HistogramBins[] bins = [.. ranges.Select(r => HistogramBins.For(r.Range, 16, magnitudes: false))];

        var input = ShardCalibrator.ObserveHistograms(network, data, [.. Enumerable.Range(0, 20)], BatchSize, bins)[0];

        Assert.Equal("input", input.Name);
        Assert.Equal(20 * 28 * 28, input.Histogram.Total);
    }
}
