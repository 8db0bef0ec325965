namespace QuantCluster.Quantization.Observers.Clipping;

/// <summary>Turns a clip found on the histogram back into an activation range: magnitude clips [0, T] become [-T, T] cut to what was observed.</summary>
public static class ClipToObserved
{
    public static RangeStatistics Apply(RangeStatistics observed, RangeStatistics clip, bool magnitudes) => magnitudes
        ? new RangeStatistics(MathF.Max(observed.Min, -clip.Max), MathF.Min(observed.Max, clip.Max))
        : new RangeStatistics(MathF.Max(observed.Min, clip.Min), MathF.Min(observed.Max, clip.Max));
}
