using Akka.Actor;
using QuantCluster.Messages.Blobs;
using QuantCluster.Messages.Calibration;
using QuantCluster.Messages.Models;
using QuantCluster.Node.Blobs;
using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Observers;
using Serilog;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>
/// What PTQ asks of the calibration actors: the samples cut into shards dealt round-robin to the actors, a min/max pass
/// merged into one range per point, then (for histogram methods) a histogram pass on bins every shard shares, merged by
/// adding counts. The job and the calibration throughput benchmark both run it.
/// </summary>
public sealed class ShardedCalibration
{
    private static readonly TimeSpan CalibrationTimeout = TimeSpan.FromMinutes(10);

    private readonly ClusterMembers _members;
    private readonly string _jobId;
    private readonly ModelSnapshot _model;
    private readonly QuantizationSettings _settings;
    private readonly DataSource _data;
    private readonly int _batchSize;
    private readonly BlobRef _samples;
    private readonly int _count;
    private readonly int _shards;
    private readonly HashSet<IActorRef> _lost = [];

    private ShardedCalibration(ClusterMembers members, string jobId, ModelSnapshot model, QuantizationSettings settings, DataSource data,
        int batchSize, BlobRef samples, int count, int shards)
    {
        _members = members;
        _jobId = jobId;
        _model = model;
        _settings = settings;
        _data = data;
        _batchSize = batchSize;
        _samples = samples;
        _count = count;
        _shards = shards;
    }

    /// <summary>Stores the sample indices once, so each request names its slice instead of carrying it.</summary>
    public static async Task<ShardedCalibration> StartAsync(ClusterMembers members, string jobId, ModelSnapshot model,
        QuantizationSettings settings, DataSource data, int batchSize, int[] samples, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shards, samples.Length);
        var indices = await BlobArrays.StoreAsync(members.Blobs, samples);
        return new ShardedCalibration(members, jobId, model, settings, data, batchSize, indices, samples.Length, shards);
    }

    /// <summary>The min/max pass: each point's range over all shards, merged as one node would have observed it.</summary>
    /// <param name="points">The model's quantization points; every shard must answer for exactly these.</param>
    public async Task<RangeStatistics[]> RangesAsync(IReadOnlyList<string> points, string traceParent, CancellationToken cancel)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, _shards).Select(s => OnLiveCalibratorAsync(s, c => c.Call<ShardStatistics>(_members.System,
            new CalibrateShard(_jobId, s, _model, _settings, _data, Shard(s), _batchSize, traceParent),
            CalibrationTimeout, $"ptq: calibrating shard {s}", cancel))));
        return RangeMerge.Merge(points, results.OrderBy(r => r.Shard).Select(r => (r.Points, r.Min, r.Max)));
    }

    /// <summary>The histogram pass on the given bins; the merged counts equal one node's exactly.</summary>
    public async Task<Histogram[]> HistogramsAsync(IReadOnlyList<string> points, IReadOnlyList<HistogramBins> bins, int binCount, bool magnitudes,
        string traceParent, CancellationToken cancel)
    {
        // Each shard's counts are fetched as soon as it answers, before later shards can push them out of its node's store.
        var counted = await Task.WhenAll(Enumerable.Range(0, _shards).Select(s => OnLiveCalibratorAsync(s, async c =>
        {
            var h = await c.Call<ShardHistograms>(_members.System,
                new CalibrateHistograms(_jobId, s, _model, _settings, _data, Shard(s), _batchSize,
                    [.. bins.Select(b => b.Lo)], [.. bins.Select(b => b.Hi)], binCount, magnitudes, traceParent),
                CalibrationTimeout, $"ptq: histograms of shard {s}", cancel);
            return (h.Shard, h.Points, Counts: await BlobArrays.FetchInt64Async(_members.System, h.Counts, cancel));
        })));
        return HistogramMerge.Merge(points, bins, counted.OrderBy(h => h.Shard).Select(h => (h.Points, h.Counts)));
    }

    private int Start(int shard) => (int)((long)_count * shard / _shards);

    private ShardSamples Shard(int s) => new(_samples, Start(s), Start(s + 1) - Start(s));

    /// <summary>
    /// Runs a shard's call on its calibration actor (shards are dealt round-robin over the live ones); when that actor is
    /// lost, on the next live one. Ranges and counts merge exactly and in shard order, so where a shard ran never
    /// changes the merged result.
    /// </summary>
    private async Task<T> OnLiveCalibratorAsync<T>(int shard, Func<IActorRef, Task<T>> call)
    {
        while (true)
        {
            var calibrator = Calibrator(shard);
            try
            {
                return await call(calibrator);
            }
            catch (MemberLostException lost)
            {
                lock (_lost) _lost.Add(lost.Member);
                Log.Warning("Calibration shard {Shard}: {Reason}; it moves to another calibration actor", shard, lost.Message);
            }
        }
    }

    private IActorRef Calibrator(int shard)
    {
        IActorRef[] live;
        lock (_lost) live = [.. _members.Calibrators.Where(c => !_lost.Contains(c))];
        if (live.Length == 0) throw new JobFailedException($"ptq: every calibration actor is gone ({_members.Calibrators.Count} lost); shard {shard} has nowhere to run");
        return live[shard % live.Length];
    }
}
