using Akka.Actor;
using Akka.Event;
using QuantCluster.Messages;
using QuantCluster.Messages.Calibration;
using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.CalibrationNode;

/// <summary>Runs the FP32 model over one shard of calibration samples and reports every activation's observed range or histogram.</summary>
public sealed class CalibrationActor : ReceiveActor
{
    private readonly string _node;
    private readonly DataSetCache _data = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public CalibrationActor(string node)
    {
        _node = node;
        Receive<CalibrateShard>(Calibrate);
        Receive<CalibrateHistograms>(CountHistograms);
    }

    public static Props Props(string node) => Akka.Actor.Props.Create(() => new CalibrationActor(node));

    private void Calibrate(CalibrateShard m)
    {
        try
        {
            using var activity = Tracing.StartChild("calibration.shard", m.TraceParent);
            activity?.SetTag("shard", m.Shard);
            var scheme = SchemeNames.ParseActivations(m.Quantization.Activations);
            var ranges = ShardCalibrator.Observe(m.Model.Architecture, m.Model.Checkpoint, scheme, _data.Get(m.Data.Images, m.Data.Labels), m.SampleIndices, m.BatchSize, $"model sent to {_node}");
            Metrics.CalibrationSamples.Add(m.SampleIndices.Length);
            Sender.Tell(new ShardStatistics(m.JobId, m.Shard, [.. ranges.Select(r => r.Name)],
                [.. ranges.Select(r => r.Range.Min)], [.. ranges.Select(r => r.Range.Max)], m.SampleIndices.Length));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Error(e, "{0} failed on shard {1}", _node, m.Shard);
            Sender.Tell(new JobFailed(m.JobId, _node, e.Message));
        }
    }

    private void CountHistograms(CalibrateHistograms m)
    {
        try
        {
            using var activity = Tracing.StartChild("calibration.histograms", m.TraceParent);
            activity?.SetTag("shard", m.Shard);
            var scheme = SchemeNames.ParseActivations(m.Quantization.Activations);
            var bins = m.Lo.Zip(m.Hi, (lo, hi) => new HistogramBins(lo, hi, m.Bins, m.Magnitudes)).ToArray();
            var histograms = ShardCalibrator.ObserveHistograms(m.Model.Architecture, m.Model.Checkpoint, scheme, _data.Get(m.Data.Images, m.Data.Labels),
                m.SampleIndices, m.BatchSize, bins, $"model sent to {_node}");
            Sender.Tell(new ShardHistograms(m.JobId, m.Shard, [.. histograms.Select(h => h.Name)], m.Bins,
                HistogramMerge.Flatten(histograms.Select(h => h.Histogram)), m.SampleIndices.Length));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Error(e, "{0} failed on histogram shard {1}", _node, m.Shard);
            Sender.Tell(new JobFailed(m.JobId, _node, e.Message));
        }
    }
}
