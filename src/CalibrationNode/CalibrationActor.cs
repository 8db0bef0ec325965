using Akka.Actor;
using Akka.Event;
using QuantCluster.Messages;
using QuantCluster.Messages.Calibration;
using QuantCluster.Messages.Membership;
using QuantCluster.Node;
using QuantCluster.Node.Blobs;
using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.CalibrationNode;

/// <summary>Runs the FP32 model over one shard of calibration samples and reports every activation's observed range or histogram.</summary>
public sealed class CalibrationActor : ReceiveActor
{
    private readonly string _node;
    private readonly DataSetCache _data;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly Registration? _registration;
    private readonly IActorRef _blobs;
    private (string Id, byte[] Bytes)? _checkpoint;
    private (string Id, int[] Values)? _indices;

    /// <param name="blobs">This node's blob store, where histogram counts wait for the coordinator to fetch them.</param>
    /// <param name="data">Shared by every actor of this process, so the calibration set is held once however many actors read it.</param>
    public CalibrationActor(string node, IActorRef blobs, DataSetCache data, Registration? registration = null)
    {
        _node = node;
        _data = data;
        _blobs = blobs;
        _registration = registration;
        Receive<IRegistrationReply>(m => Context.Child("registrar").Forward(m));
        ReceiveAsync<CalibrateShard>(CalibrateAsync);
        ReceiveAsync<CalibrateHistograms>(CountHistogramsAsync);
    }

    public static Props Props(string node, IActorRef blobs, DataSetCache data, Registration? registration = null) =>
        Akka.Actor.Props.Create(() => new CalibrationActor(node, blobs, data, registration));

    protected override void PreStart()
    {
        if (_registration is { } r)
            Context.ActorOf(RegistrarActor.Props(r, ClusterRoles.Calibration), "registrar");
    }

    private async Task CalibrateAsync(CalibrateShard m)
    {
        var sender = Sender;
        try
        {
            using var activity = Tracing.StartChild("calibration.shard", m.TraceParent);
            var checkpoint = await CheckpointAsync(m.Model.Checkpoint);
            var samples = await SamplesAsync(m.Samples);
            activity?.SetTag("shard", m.Shard);
            var scheme = SchemeNames.ParseActivations(m.Quantization.Activations);
            var ranges = ShardCalibrator.Observe(m.Model.Architecture, checkpoint, scheme, Data(m.Data, m.Model.Architecture), samples, m.BatchSize, $"model sent to {_node}");
            Metrics.CalibrationSamples.Add(samples.Count);
            sender.Tell(new ShardStatistics(m.JobId, m.Shard, [.. ranges.Select(r => r.Name)],
                [.. ranges.Select(r => r.Range.Min)], [.. ranges.Select(r => r.Range.Max)], samples.Count));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Error(e, "{0} failed on shard {1}", _node, m.Shard);
            sender.Tell(new JobFailed(m.JobId, _node, JobFailed.BoundedReason(e.Message)));
        }
    }

    private async Task CountHistogramsAsync(CalibrateHistograms m)
    {
        var sender = Sender;
        try
        {
            var checkpoint = await CheckpointAsync(m.Model.Checkpoint);
            var samples = await SamplesAsync(m.Samples);
            using var activity = Tracing.StartChild("calibration.histograms", m.TraceParent);
            activity?.SetTag("shard", m.Shard);
            var scheme = SchemeNames.ParseActivations(m.Quantization.Activations);
            var bins = m.Lo.Zip(m.Hi, (lo, hi) => new HistogramBins(lo, hi, m.Bins, m.Magnitudes)).ToArray();
            var histograms = ShardCalibrator.ObserveHistograms(m.Model.Architecture, checkpoint, scheme, Data(m.Data, m.Model.Architecture),
                samples, m.BatchSize, bins, $"model sent to {_node}");
            var counts = await BlobArrays.StoreAsync(_blobs, HistogramMerge.Flatten(histograms.Select(h => h.Histogram)));
            sender.Tell(new ShardHistograms(m.JobId, m.Shard, [.. histograms.Select(h => h.Name)], m.Bins, counts, samples.Count));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Error(e, "{0} failed on histogram shard {1}", _node, m.Shard);
            sender.Tell(new JobFailed(m.JobId, _node, JobFailed.BoundedReason(e.Message)));
        }
    }

    private LabeledImages Data(Messages.Models.DataSource source, string architecture) =>
        _data.Get(DataSources.FromWire(source), ModelZoo.Signature(architecture));

    // The passes and shards of one job name the same model; fetch it once.
    private async Task<byte[]> CheckpointAsync(Messages.Blobs.BlobRef blob)
    {
        if (_checkpoint?.Id != blob.Id) _checkpoint = (blob.Id, await BlobTransfer.FetchAsync(Context.System, blob, CancellationToken.None));
        return _checkpoint.Value.Bytes;
    }

    // Every shard and both passes of a job slice the same index list; fetch it once.
    private async Task<ArraySegment<int>> SamplesAsync(ShardSamples samples)
    {
        if (_indices?.Id != samples.Indices.Id)
            _indices = (samples.Indices.Id, await BlobArrays.FetchInt32Async(Context.System, samples.Indices, CancellationToken.None));
        var all = _indices.Value.Values;
        if (samples.Offset < 0 || samples.Count < 0 || samples.Offset > all.Length - samples.Count)
            throw new InvalidDataException($"samples {samples.Offset} to {samples.Offset + samples.Count} asked for, but blob {samples.Indices.Id} holds {all.Length} indices");
        return new ArraySegment<int>(all, samples.Offset, samples.Count);
    }
}
