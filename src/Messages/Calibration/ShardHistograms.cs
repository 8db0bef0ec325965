using MessagePack;
using QuantCluster.Messages.Blobs;

namespace QuantCluster.Messages.Calibration;

/// <summary>
/// One shard's activation histograms: Counts names a blob in the calibration node's store holding Bins int64 counts per
/// point (little-endian), point after point in Points order; at 2^20 bins that is 8 MB per point, far over a frame.
/// </summary>
[MessagePackObject]
public sealed record ShardHistograms(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Shard,
    [property: Key(2)] string[] Points,
    [property: Key(3)] int Bins,
    [property: Key(4)] BlobRef Counts,
    [property: Key(5)] int Samples);
