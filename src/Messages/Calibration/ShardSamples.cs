using MessagePack;
using QuantCluster.Messages.Blobs;

namespace QuantCluster.Messages.Calibration;

/// <summary>
/// A shard's calibration samples: Count indices from Offset of the calibration set's index list, which the coordinator
/// stores once as a blob (int32, little-endian). A request stays small however many samples calibrate.
/// </summary>
[MessagePackObject]
public sealed record ShardSamples(
    [property: Key(0)] BlobRef Indices,
    [property: Key(1)] int Offset,
    [property: Key(2)] int Count);
