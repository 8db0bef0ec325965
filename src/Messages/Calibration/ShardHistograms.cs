using MessagePack;

namespace QuantCluster.Messages.Calibration;

/// <summary>One shard's activation histograms: Counts holds Bins integer counts per point, point after point in Points order.</summary>
[MessagePackObject]
public sealed record ShardHistograms(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Shard,
    [property: Key(2)] string[] Points,
    [property: Key(3)] int Bins,
    [property: Key(4)] long[] Counts,
    [property: Key(5)] int Samples);
