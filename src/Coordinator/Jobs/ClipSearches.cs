using QuantCluster.Coordinator.Plans;
using QuantCluster.Quantization.Observers.Clipping;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>The clip search a plan's calibration method asks for; min/max needs none (and no histogram pass).</summary>
internal static class ClipSearches
{
    public static IClipSearch? For(PointCalibration point) => point.Method switch
    {
        CalibrationMethod.Percentile => new PercentileClip(point.Percentile),
        CalibrationMethod.Entropy => new EntropyClip(),
        CalibrationMethod.Mse => new MseClip(),
        _ => null,
    };
}
