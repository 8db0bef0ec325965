namespace QuantCluster.Quantization.Observers;

/// <summary>
/// The moving-average min/max observer's update, as PyTorch's MovingAverageMinMaxObserver: the first batch sets the range,
/// later ones move it by c * (batch - current). Used in QAT, where weights keep moving the range; it depends on batch order,
/// so it is not used for sharded PTQ calibration.
/// </summary>
public static class MovingAverageMinMax
{
    /// <summary>PyTorch's default averaging constant.</summary>
    public const float DefaultConstant = 0.01f;

    public static RangeStatistics Update(RangeStatistics current, RangeStatistics batch, float constant = DefaultConstant) => current.IsEmpty
        ? batch
        : new RangeStatistics(current.Min + (constant * (batch.Min - current.Min)), current.Max + (constant * (batch.Max - current.Max)));
}
