using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Observers;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.GraphQuantization;

/// <summary>
/// The calibrate step for a prepared graph: FP32 forward passes with exact min/max observers on every point. The ranges
/// of shards merge with <see cref="Calibration.RangeMerge"/> to exactly the one-shard result when every batch has the
/// same size: libtorch picks kernels by batch size, which is why the zoo's ShardCalibrator tops a short last batch up
/// (its FullBatch). The caller passes batches; this method does not top them up.
/// </summary>
public static class GraphCalibration
{
    /// <summary>Observes every point over the batches ([N, ..input shape] each) and returns each point's range, in point order.</summary>
    public static IReadOnlyList<(string Name, RangeStatistics Range)> Observe(QuantizedGraphNetwork network, IEnumerable<Tensor> batches)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(batches);
        network.Configure(ObserverMode.MinMax, fakeQuantize: false);
        foreach (var (_, point) in network.QuantizationPoints) point.Range = RangeStatistics.Empty;
        network.eval();
        using (no_grad())
        {
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                network.call(batch);
            }
        }
        network.Configure(ObserverMode.Off, fakeQuantize: false);
        return [.. network.QuantizationPoints.Select(p => (p.Name, p.Point.Range))];
    }
}
