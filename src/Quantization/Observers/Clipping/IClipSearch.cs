namespace QuantCluster.Quantization.Observers.Clipping;

/// <summary>Chooses the clip range of one activation from its histogram alone (a pure function, so every node agrees).</summary>
public interface IClipSearch
{
    /// <summary>The range to quantize: [lo, hi] for value bins, [0, T] for magnitude bins (the scheme is then [-T, T]).</summary>
    RangeStatistics Clip(Histogram histogram);
}
