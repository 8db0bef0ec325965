using System.Globalization;
using QuantCluster.Coordinator.Plans;
using QuantCluster.Coordinator.Reporting;
using QuantCluster.Quantization.Evaluation;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>Which model a job delivers (PTQ, PTQ with layers left in FP32, or QAT) and why, in one sentence for the report.</summary>
public static class PathChoice
{
    public const string Ptq = "ptq";
    public const string PtqFallback = "ptq-fallback";
    public const string Qat = "qat";

    /// <summary>Whether the fallback search runs: the plan allows it and PTQ alone misses the tolerance (mode qat never falls back).</summary>
    public static bool TriesFallback(JobMode mode, double tolerance, FallbackPlan fallback, double ptqDropPoints) =>
        mode != JobMode.Qat && fallback.Enabled && !AccuracyDrop.WithinTolerance(ptqDropPoints, tolerance);

    /// <param name="fallback">The fallback search's figures; null when it did not run.</param>
    public static (string Path, string Reason) Choose(JobMode mode, double tolerance, FallbackPlan plan, double ptqDropPoints, FallbackFigures? fallback)
    {
        if (mode == JobMode.Qat) return (Qat, "mode qat");
        if (mode == JobMode.Ptq && !plan.Enabled) return (Ptq, "mode ptq");
        string ptq = Invariant($"mode {mode.ToString().ToLowerInvariant()}: PTQ drop {ptqDropPoints:0.00} points");
        string limit = Invariant($"the tolerance of {tolerance:0.00}");
        if (AccuracyDrop.WithinTolerance(ptqDropPoints, tolerance)) return (Ptq, $"{ptq} is within {limit}");
        if (fallback is null) return (Qat, $"{ptq} exceeds {limit}");

        var last = fallback.Steps.Count == 0 ? null : fallback.Steps[^1];
        string layers = last is null ? "no layer" : string.Join(", ", last.Fp32Layers);
        if (fallback.MetTolerance) return (PtqFallback, Invariant($"{ptq} exceeds {limit}; with {layers} in FP32 it is {last!.DropPoints:0.00}"));
        string tried = last is null
            ? "no layer could be left in FP32"
            : Invariant($"with {layers} in FP32 (at most {plan.MaxLayers}) it is still {last.DropPoints:0.00}");
        return mode == JobMode.Auto
            ? (Qat, $"{ptq} exceeds {limit}, and {tried}")
            : (Ptq, $"{ptq} exceeds {limit}, and {tried}; keeping the all-INT8 PTQ model");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
