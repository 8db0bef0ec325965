using QuantCluster.Coordinator.Reporting;
using Spectre.Console.Testing;

namespace QuantCluster.Tests.Reporting;

/// <summary>The end-of-job table shows every model the job measured, with its drop from FP32, and leaves out the ones it did not build.</summary>
public sealed class SummaryTableTests
{
    [Fact]
    public void A_qat_job_shows_fp32_ptq_qat_and_the_delivered_model_with_their_drops()
    {
        var report = new JobReport("lenet-qat", "lenet", "qat", 0.5, "qat", "mode qat", "qat",
            new AccuracyFigures(0.9865, 0.9855, null, 0.9860, 0.9860), [], null, null, new Dictionary<string, double> { ["total"] = 27.4 },
            new SizeFigures(110_000, 29_440), [], new Dictionary<string, string>(), "minmax", new SensitivityFigures(0, []),
            new DecisionFigures("test samples", 0, DecisionFigures.TestSamplesWarning, 0.9865, 0.9855, 0.10));
        var console = new TestConsole().Width(120);

        console.Write(SummaryTable.Of(report, "/runs/lenet-qat"));

        Assert.Contains("98.55 %", console.Output);
        Assert.Contains("0.10", console.Output);
        Assert.Contains("QAT INT8", console.Output);
        Assert.DoesNotContain("fallback", console.Output);
        Assert.Contains("/runs/lenet-qat", console.Output);
    }
}
