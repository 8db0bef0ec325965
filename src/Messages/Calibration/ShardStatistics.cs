using MessagePack;

namespace QuantCluster.Messages.Calibration;

/// <summary>One shard's observed range for every activation quantization point, in the model's point order.</summary>
[MessagePackObject]
public sealed record ShardStatistics(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Shard,
    [property: Key(2)] string[] Points,
    [property: Key(3)] float[] Min,
    [property: Key(4)] float[] Max,
    [property: Key(5)] int Samples);
