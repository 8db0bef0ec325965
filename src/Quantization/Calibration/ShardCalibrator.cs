using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Schemes;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.Calibration;

/// <summary>The calibrate step for one shard: FP32 forward passes with exact min/max or fixed-bin histogram observers on every quantization point.</summary>
public static class ShardCalibrator
{
    public static IReadOnlyList<(string Name, RangeStatistics Range)> Observe(
        string architecture, byte[] checkpoint, ActivationScheme scheme, LabeledImages data, IReadOnlyList<int> samples, int batchSize, string source)
    {
        using var network = ModelCheckpoint.FromBytes(checkpoint, source, scheme, architecture);
        return Observe(network, data, samples, batchSize);
    }

    public static IReadOnlyList<(string Name, RangeStatistics Range)> Observe(
        QuantizableNetwork network, LabeledImages data, IReadOnlyList<int> samples, int batchSize)
    {
        network.Configure(ObserverMode.MinMax, fakeQuantize: false, WeightGranularity.PerChannel);
        foreach (var (_, point) in network.QuantizationPoints) point.Range = RangeStatistics.Empty;
        RunForward(network, data, samples, batchSize, _ => { });
        network.Configure(ObserverMode.Off, fakeQuantize: false, WeightGranularity.PerChannel);
        return [.. network.QuantizationPoints.Select(p => (p.Name, p.Point.Range))];
    }

    /// <summary>The second pass of histogram calibration: counts every point's activations on the bins all shards were given.</summary>
    public static IReadOnlyList<(string Name, Histogram Histogram)> ObserveHistograms(
        string architecture, byte[] checkpoint, ActivationScheme scheme, LabeledImages data, IReadOnlyList<int> samples, int batchSize,
        IReadOnlyList<HistogramBins> bins, string source)
    {
        using var network = ModelCheckpoint.FromBytes(checkpoint, source, scheme, architecture);
        return ObserveHistograms(network, data, samples, batchSize, bins);
    }

    public static IReadOnlyList<(string Name, Histogram Histogram)> ObserveHistograms(
        QuantizableNetwork network, LabeledImages data, IReadOnlyList<int> samples, int batchSize, IReadOnlyList<HistogramBins> bins)
    {
        var points = network.QuantizationPoints;
        if (bins.Count != points.Count) throw new ArgumentException($"{bins.Count} bin specifications for {points.Count} quantization points", nameof(bins));
        var observers = bins.Select(b => new HistogramObserver(b)).ToArray();
        network.Configure(ObserverMode.Off, fakeQuantize: false, WeightGranularity.PerChannel);
        try
        {
            for (int i = 0; i < points.Count; i++) points[i].Point.Tap = observers[i];
            RunForward(network, data, samples, batchSize, rows => { foreach (var o in observers) o.Rows = rows; });
        }
        finally
        {
            foreach (var (_, point) in points) point.Tap = null;
        }
        return [.. points.Select((p, i) => (p.Name, observers[i].Histogram))];
    }

    private static void RunForward(QuantizableNetwork network, LabeledImages data, IReadOnlyList<int> samples, int batchSize, Action<int> realRows)
    {
        network.eval();
        using var _ = no_grad();
        var order = samples.ToArray();
        for (int start = 0; start < order.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var real = order[start..Math.Min(order.Length, start + batchSize)];
            realRows(real.Length);
            int[] batch = FullBatch(real, batchSize);
            network.call(InputBatch.Of(data, batch));
        }
    }

    // libtorch's GEMM picks its kernel by batch size (below 16 rows a fully connected layer sums in another order), so a
    // sample's activations depend on the size of the batch it runs in, though not on its neighbours. Every pass therefore
    // runs exactly batchSize rows, the short last batch topped up with repeats of its own samples: repeats leave min and
    // max unchanged (histograms count only the real rows), and the ranges stay bit-identical however the calibration set is sharded.
    private static int[] FullBatch(int[] batch, int batchSize)
    {
        if (batch.Length == batchSize) return batch;
        var full = new int[batchSize];
        for (int i = 0; i < batchSize; i++) full[i] = batch[i % batch.Length];
        return full;
    }
}
