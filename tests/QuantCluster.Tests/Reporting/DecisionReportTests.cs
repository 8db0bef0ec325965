using QuantCluster.Coordinator.Reporting;
using QuantCluster.Quantization.Evaluation;

namespace QuantCluster.Tests.Reporting;

/// <summary>The report says which samples the decisions were measured on, and with held-out samples what they saw next to the test figures.</summary>
public sealed class DecisionReportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("quantcluster-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Decisions_on_the_test_samples_carry_the_optimism_warning()
    {
        var report = Report(new DecisionFigures("test samples", 0, DecisionFigures.TestSamplesWarning, 0.99, 0.98, 1.0), fallbackTest: 0.985);

        ReportWriter.Write(_folder, report);

        Assert.Equal(report.Decisions, ReportWriter.Read(Path.Combine(_folder, "report.json")).Decisions);
        string json = File.ReadAllText(Path.Combine(_folder, "report.json"));
        Assert.Contains("\"measured_on\": \"test samples\"", json, StringComparison.Ordinal);
        string md = File.ReadAllText(Path.Combine(_folder, "report.md"));
        Assert.Contains("Decisions measured on: the test samples. Warning: the decisions were measured on the test samples the report quotes", md, StringComparison.Ordinal);
        Assert.DoesNotContain("validation accuracy", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Held_out_decisions_show_the_validation_accuracy_next_to_the_test_accuracy()
    {
        var report = Report(new DecisionFigures("1000 validation samples held out from training", 1000, null, 0.975, 0.961, 1.4), fallbackTest: 0.9812);

        ReportWriter.Write(_folder, report);

        string json = File.ReadAllText(Path.Combine(_folder, "report.json"));
        Assert.Contains("\"validation_samples\": 1000", json, StringComparison.Ordinal);
        Assert.Contains("\"test_accuracies\": [", json, StringComparison.Ordinal);
        string md = File.ReadAllText(Path.Combine(_folder, "report.md"));
        Assert.Contains("Decisions measured on: 1000 validation samples held out from training;", md, StringComparison.Ordinal);
        Assert.Contains("| FP32 | 99.00% | | 97.50% | 4000 |", md, StringComparison.Ordinal);
        Assert.Contains("| PTQ INT8 (minmax) | 98.00% | -1.00 | 96.10% | 1000 |", md, StringComparison.Ordinal);
        // The fallback step: 97.00% is what the search saw on the validation samples, 98.12% the same model on the test samples.
        Assert.Contains("| 1 | layer0 | 97.00% | 0.50 | 98.12% |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("Warning", md, StringComparison.Ordinal);
    }

    private static JobReport Report(DecisionFigures decisions, double fallbackTest)
    {
        var step = new FallbackStep("layer0", ["layer0"], 0.97, 0.5);
        var fallback = new FallbackFigures(1, ["layer0", "layer1"], [step], MetTolerance: true, 1000, 1400, [fallbackTest]);
        return new JobReport("t", "mlp", "auto", 0.5, "ptq-fallback", "why", "ptq-fallback",
            new AccuracyFigures(0.99, 0.98, fallbackTest, null, fallbackTest), [new PtqVariant("per-channel", "asymmetric-uint8", 0.98, 1.0)], fallback,
            null, new Dictionary<string, double>(), new SizeFigures(4000, 1400), [], new Dictionary<string, string>(), "minmax",
            new SensitivityFigures(0, []), decisions);
    }
}
