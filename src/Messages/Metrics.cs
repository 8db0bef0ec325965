using System.Diagnostics.Metrics;

namespace QuantCluster.Messages;

/// <summary>The instruments every node records into, exported through OpenTelemetry for dashboards.</summary>
public static class Metrics
{
    public const string MeterName = "QuantCluster";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> TrainingSamples =
        Meter.CreateCounter<long>("quantcluster.training.samples", "{sample}", "Training samples a replica processed");

    public static readonly Histogram<double> EpochDuration =
        Meter.CreateHistogram<double>("quantcluster.training.epoch.duration", "s", "Wall time of one epoch on one replica");

    public static readonly Counter<long> GradientBytes =
        Meter.CreateCounter<long>("quantcluster.gradients.bytes", "By", "Gradient bytes received by the averager");

    public static readonly Counter<long> CalibrationSamples =
        Meter.CreateCounter<long>("quantcluster.calibration.samples", "{sample}", "Calibration samples observed");
}
