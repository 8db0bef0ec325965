using MessagePack;
using QuantCluster.Messages.Models;

namespace QuantCluster.Messages.Calibration;

/// <summary>
/// The second calibration pass: count every activation of the shard into Bins equal bins over [Lo[i], Hi[i]] for point i
/// (magnitudes when Magnitudes is set), the merged first-pass ranges every shard is given, so all shards bin alike.
/// </summary>
[MessagePackObject]
public sealed record CalibrateHistograms(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Shard,
    [property: Key(2)] ModelSnapshot Model,
    [property: Key(3)] QuantizationSettings Quantization,
    [property: Key(4)] DataSource Data,
    [property: Key(5)] ShardSamples Samples,
    [property: Key(6)] int BatchSize,
    [property: Key(7)] float[] Lo,
    [property: Key(8)] float[] Hi,
    [property: Key(9)] int Bins,
    [property: Key(10)] bool Magnitudes,
    [property: Key(11)] string TraceParent);
