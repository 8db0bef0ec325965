using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Tests.Quantization;

/// <summary>Calibration sharded across nodes must merge to exactly what one node computes. The collection fixture sets one torch thread.</summary>
[Collection(TorchTests.Name)]
public sealed class RangeMergeTests
{
    private const int BatchSize = 16;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Merged_shards_equal_the_one_shard_calibration_bit_for_bit(int shardCount)
    {
        var data = SyntheticData.Images(90, seed: 21);
        // A shuffled order, so the shards are not just runs of consecutive images.
        int[] samples = [.. Enumerable.Range(0, data.Count).OrderBy(i => (i * 37) % 91)];
        using var network = new QuantizableNetwork("lenet", ActivationScheme.AsymmetricUInt8, seed: 5);
        byte[] checkpoint = ModelCheckpoint.ToBytes(network);

        var whole = ShardCalibrator.Observe(network, data, samples, BatchSize);
        string[] points = [.. whole.Select(p => p.Name)];
        var oneShard = RangeMerge.Merge(points, [Report(whole)]);

        // Shards are cut like a coordinator would: contiguous, sizes differing by at most one; each shard rebuilds the model from the checkpoint.
        var reports = Enumerable.Range(0, shardCount).Select(s =>
        {
            int start = samples.Length * s / shardCount, end = samples.Length * (s + 1) / shardCount;
            return Report(ShardCalibrator.Observe("lenet", checkpoint, ActivationScheme.AsymmetricUInt8, data, samples[start..end], BatchSize, $"shard {s}"));
        }).ToList();
        var merged = RangeMerge.Merge(points, reports);

        Assert.Equal(whole.Count, merged.Length);
        for (int i = 0; i < merged.Length; i++)
        {
            Assert.False(merged[i].IsEmpty, points[i]);
            Assert.Equal(whole[i].Range, oneShard[i]);
            Assert.True(BitEqual(oneShard[i], merged[i]), $"{points[i]}: one shard {oneShard[i]}, {shardCount} shards {merged[i]}");
        }
        // The shards really saw different ranges, so the merge had something to do.
        if (shardCount > 1) Assert.Contains(reports, r => !BitEqual(new RangeStatistics(r.Min[^1], r.Max[^1]), oneShard[^1]));
    }

    [Fact]
    public void Merging_nothing_leaves_every_point_empty()
    {
        var merged = RangeMerge.Merge(["input", "layer0.output"], []);

        Assert.All(merged, r => Assert.True(r.IsEmpty));
    }

    [Fact]
    public void Shard_with_other_point_names_is_rejected_naming_both_lists()
    {
        string[] points = ["input", "layer0.output"];

        var error = Assert.Throws<InvalidDataException>(() => RangeMerge.Merge(points,
            [(points, [0f, 0f], [1f, 1f]), (["input", "layer2.output"], [0f, 0f], [1f, 1f])]));

        Assert.Contains("layer2.output", error.Message, StringComparison.Ordinal);
        Assert.Contains("layer0.output", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shard_with_missing_values_is_rejected_naming_the_counts()
    {
        string[] points = ["input", "layer0.output"];

        var error = Assert.Throws<InvalidDataException>(() => RangeMerge.Merge(points, [(points, [0f], [1f, 1f])]));

        Assert.Contains("1 minima and 2 maxima for 2 points", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Shard_reporting_NaN_is_rejected_naming_the_point(bool inMin)
    {
        string[] points = ["input", "layer0.output"];
        float[] min = [0f, inMin ? float.NaN : -1f], max = [1f, inMin ? 2f : float.NaN];

        var error = Assert.Throws<InvalidDataException>(() => RangeMerge.Merge(points, [(points, [0f, 0f], [1f, 1f]), (points, min, max)]));

        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
        Assert.Contains("layer0.output", error.Message, StringComparison.Ordinal);
    }

    private static (string[] Points, float[] Min, float[] Max) Report(IReadOnlyList<(string Name, RangeStatistics Range)> observed) =>
        ([.. observed.Select(p => p.Name)], [.. observed.Select(p => p.Range.Min)], [.. observed.Select(p => p.Range.Max)]);

    private static bool BitEqual(RangeStatistics a, RangeStatistics b) =>
        BitConverter.SingleToInt32Bits(a.Min) == BitConverter.SingleToInt32Bits(b.Min)
        && BitConverter.SingleToInt32Bits(a.Max) == BitConverter.SingleToInt32Bits(b.Max);
}
