using Akka.Actor;
using QuantCluster.Coordinator.Jobs;
using QuantCluster.Messages.Calibration;
using QuantCluster.Messages.Models;
using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Observers;

namespace QuantCluster.Bench.CalibrationThroughput;

/// <summary>
/// The calibration a PTQ job asks of its calibration actors (the messages QuantizationJob.CalibrateAsync sends): shards
/// dealt round-robin to the actors, a min/max pass, bins from the merged ranges, a histogram pass, the merge.
/// </summary>
internal sealed class ShardedCalibration(IReadOnlyList<IActorRef> actors, ModelSnapshot model, DataSource data, int batchSize, int bins)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private static readonly QuantizationSettings Symmetric = new("symmetric-int8", "per-channel");

    /// <summary>Runs both passes over samples in the given number of shards and returns the merged histograms.</summary>
    public async Task<Histogram[]> RunAsync(string jobId, int[] samples, int shards, CancellationToken cancel)
    {
        int[] Shard(int s) => samples[(int)((long)samples.Length * s / shards)..(int)((long)samples.Length * (s + 1) / shards)];
        IActorRef Actor(int s) => actors[s % actors.Count];

        var statistics = await Task.WhenAll(Enumerable.Range(0, shards).Select(s => Actor(s).Call<ShardStatistics>(
            new CalibrateShard(jobId, s, model, Symmetric, data, Shard(s), batchSize, ""), Timeout, $"range pass, shard {s}", cancel)));
        var points = statistics[0].Points;
        var ranges = RangeMerge.Merge(points, statistics.OrderBy(r => r.Shard).Select(r => (r.Points, r.Min, r.Max)));
        var binning = ranges.Select(r => HistogramBins.For(r, bins, magnitudes: true)).ToArray();
        var counted = await Task.WhenAll(Enumerable.Range(0, shards).Select(s => Actor(s).Call<ShardHistograms>(
            new CalibrateHistograms(jobId, s, model, Symmetric, data, Shard(s), batchSize,
                [.. binning.Select(b => b.Lo)], [.. binning.Select(b => b.Hi)], bins, true, ""),
            Timeout, $"histogram pass, shard {s}", cancel)));
        return HistogramMerge.Merge(points, binning, counted.OrderBy(h => h.Shard).Select(h => (h.Points, h.Counts)));
    }
}
