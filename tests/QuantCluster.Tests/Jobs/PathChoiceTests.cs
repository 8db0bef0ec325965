using QuantCluster.Coordinator.Jobs;
using QuantCluster.Coordinator.Plans;
using QuantCluster.Coordinator.Reporting;
using QuantCluster.Quantization.Evaluation;

namespace QuantCluster.Tests.Jobs;

/// <summary>PTQ, then PTQ with layers in FP32, then QAT: which path each mode takes, and the sentence the report gives for it.</summary>
public sealed class PathChoiceTests
{
    private static readonly FallbackPlan UpToTwo = new(2, null);

    [Theory]
    [InlineData(JobMode.Auto, 0.4, false)]
    [InlineData(JobMode.Auto, 0.6, true)]
    [InlineData(JobMode.Ptq, 0.6, true)]
    [InlineData(JobMode.Qat, 5.0, false)]
    public void Fallback_runs_only_when_ptq_misses_the_tolerance_outside_mode_qat(JobMode mode, double drop, bool expected)
    {
        Assert.Equal(expected, PathChoice.TriesFallback(mode, 0.5, UpToTwo, drop));
        Assert.False(PathChoice.TriesFallback(mode, 0.5, FallbackPlan.Off, drop));
    }

    [Fact]
    public void A_drop_equal_to_the_tolerance_up_to_rounding_is_within_it() =>
        Assert.False(PathChoice.TriesFallback(JobMode.Auto, 0.5, UpToTwo, (0.98 - 0.975) * 100));

    [Fact]
    public void Ptq_within_the_tolerance_is_delivered() =>
        Assert.Equal(("ptq", "mode auto: PTQ drop 0.40 points is within the tolerance of 0.50"),
            PathChoice.Choose(JobMode.Auto, 0.5, UpToTwo, 0.4, null));

    [Fact]
    public void Auto_without_fallback_goes_to_qat() =>
        Assert.Equal(("qat", "mode auto: PTQ drop 1.20 points exceeds the tolerance of 0.50"),
            PathChoice.Choose(JobMode.Auto, 0.5, FallbackPlan.Off, 1.2, null));

    [Fact]
    public void A_fallback_that_meets_the_tolerance_is_delivered_naming_its_layers() =>
        Assert.Equal(("ptq-fallback", "mode auto: PTQ drop 1.20 points exceeds the tolerance of 0.50; with layer5, layer0 in FP32 it is 0.30"),
            PathChoice.Choose(JobMode.Auto, 0.5, UpToTwo, 1.2, Figures(met: true, ("layer5", 0.8), ("layer0", 0.3))));

    [Fact]
    public void A_fallback_that_misses_sends_auto_to_qat() =>
        Assert.Equal(("qat", "mode auto: PTQ drop 1.20 points exceeds the tolerance of 0.50, and with layer5, layer0 in FP32 (at most 2) it is still 0.90"),
            PathChoice.Choose(JobMode.Auto, 0.5, UpToTwo, 1.2, Figures(met: false, ("layer5", 1.0), ("layer0", 0.9))));

    [Fact]
    public void A_fallback_that_misses_in_mode_ptq_keeps_the_all_int8_model() =>
        Assert.Equal(("ptq", "mode ptq: PTQ drop 1.20 points exceeds the tolerance of 0.50, and with layer5 in FP32 (at most 2) it is still 0.90; keeping the all-INT8 PTQ model"),
            PathChoice.Choose(JobMode.Ptq, 0.5, UpToTwo, 1.2, Figures(met: false, ("layer5", 0.9))));

    [Theory]
    [InlineData(JobMode.Ptq, "ptq", "mode ptq")]
    [InlineData(JobMode.Qat, "qat", "mode qat")]
    public void Modes_that_do_not_look_at_the_tolerance_say_so(JobMode mode, string path, string reason) =>
        Assert.Equal((path, reason), PathChoice.Choose(mode, 0.5, FallbackPlan.Off, 3.0, null));

    private static FallbackFigures Figures(bool met, params (string Layer, double Drop)[] steps)
    {
        var taken = new List<string>();
        var records = steps.Select(s =>
        {
            taken.Add(s.Layer);
            return new FallbackStep(s.Layer, [.. taken], 0.98 - (s.Drop / 100), s.Drop);
        }).ToList();
        return new FallbackFigures(2, [.. steps.Select(s => s.Layer), "layer6"], records, met, 1000, 1600, [.. records.Select(r => r.Accuracy)]);
    }
}
