using MessagePack;
using QuantCluster.Messages.Models;

namespace QuantCluster.Messages.Calibration;

/// <summary>Asks a calibration actor to run the FP32 model over its shard of samples and report activation statistics.</summary>
[MessagePackObject]
public sealed record CalibrateShard(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Shard,
    [property: Key(2)] ModelSnapshot Model,
    [property: Key(3)] QuantizationSettings Quantization,
    [property: Key(4)] DataSource Data,
    [property: Key(5)] ShardSamples Samples,
    [property: Key(6)] int BatchSize,
    [property: Key(7)] string TraceParent);
