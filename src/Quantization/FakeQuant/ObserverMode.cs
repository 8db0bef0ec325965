namespace QuantCluster.Quantization.FakeQuant;

/// <summary>What an activation observer does with the tensors it sees.</summary>
public enum ObserverMode
{
    /// <summary>Frozen: the range no longer changes (QAT after freeze_observers_after, and inference).</summary>
    Off,

    /// <summary>Exact running min and max over everything seen (PTQ calibration; mergeable across shards).</summary>
    MinMax,

    /// <summary>Exponential moving average of each batch's min and max (QAT, where weights keep moving the range).</summary>
    MovingAverage,
}
