namespace QuantCluster.Messages.Calibration;

/// <summary>One shard's observed range for every activation quantization point, in the model's point order.</summary>
public sealed record ShardStatistics(string JobId, int Shard, string[] Points, float[] Min, float[] Max, int Samples);
