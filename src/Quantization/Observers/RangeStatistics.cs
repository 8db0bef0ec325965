namespace QuantCluster.Quantization.Observers;

/// <summary>
/// The observed range of one activation: min and max over every element seen. Merging is min of mins and max of maxes,
/// which is exact and order-independent, so any sharding of the calibration set merges to the one-node result.
/// </summary>
public readonly record struct RangeStatistics(float Min, float Max)
{
    /// <summary>The state before any element was seen; merging with it changes nothing.</summary>
    public static readonly RangeStatistics Empty = new(float.PositiveInfinity, float.NegativeInfinity);

    public bool IsEmpty => Min > Max;

    public RangeStatistics Merge(RangeStatistics other) => new(MathF.Min(Min, other.Min), MathF.Max(Max, other.Max));
}
