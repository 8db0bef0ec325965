using System.Globalization;
using System.Text;
using QuantCluster.Coordinator.Jobs;

namespace QuantCluster.Coordinator.Reporting;

/// <summary>Renders a <see cref="JobReport"/> as the report.md a person reads first.</summary>
public static class MarkdownReport
{
    public static string Render(JobReport r)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"# {r.Name}: {r.Model} to INT8").AppendLine();
        md.AppendLine(c, $"Path taken: **{r.Path}** ({r.PathReason}).").AppendLine();
        md.AppendLine(r.ToleranceMetBy is { } metBy
            ? string.Create(c, $"Tolerance {r.Tolerance:0.00} points: met by **{metBy}**.")
            : string.Create(c, $"Tolerance {r.Tolerance:0.00} points: **not met** by the delivered model.")).AppendLine();
        if (r.Data is { } data) Data(md, data, c);
        md.AppendLine(r.Decisions.Warning is { } warning
            ? $"Decisions measured on: the test samples. Warning: {warning}."
            : $"Decisions measured on: {r.Decisions.MeasuredOn}; every accuracy below is on the test samples, and the validation column is what the decisions saw.").AppendLine();
        bool validated = r.Decisions.Warning is null;
        string validation(double? accuracy) => validated ? $" {(accuracy is double a ? Percent(a) : "")} |" : "";
        md.AppendLine(validated ? "| model | test accuracy | vs FP32 (points) | validation accuracy | size (bytes) |" : "| model | test accuracy | vs FP32 (points) | size (bytes) |");
        md.AppendLine(validated ? "|---|---:|---:|---:|---:|" : "|---|---:|---:|---:|");
        md.AppendLine(c, $"| FP32 | {Percent(r.Accuracy.Fp32)} | |{validation(r.Decisions.Fp32Accuracy)} {r.Bytes.Fp32} |");
        string ptqBytes = r.Fallback?.BytesAllInt8.ToString(c) ?? (r.Path == PathChoice.Ptq ? r.Bytes.Int8.ToString(c) : "");
        md.AppendLine(c, $"| PTQ INT8 ({r.CalibrationMethod}) | {Percent(r.Accuracy.Ptq)} | {Points(r.Accuracy.Ptq - r.Accuracy.Fp32)} |{validation(r.Decisions.PtqAccuracy)} {ptqBytes} |");
        if (r.Fallback is { Steps.Count: > 0 } tried && r.Accuracy.PtqFallback is double withFallback)
            md.AppendLine(c, $"| PTQ INT8, {string.Join(", ", tried.Steps[^1].Fp32Layers)} in FP32 | {Percent(withFallback)} | {Points(withFallback - r.Accuracy.Fp32)} |{validation(tried.Steps[^1].Accuracy)} {tried.BytesWithFallback} |");
        md.AppendLine(r.Accuracy.Qat is double qat
            ? string.Create(c, $"| QAT INT8 | {Percent(qat)} | {Points(qat - r.Accuracy.Fp32)} |{validation(null)} {r.Bytes.Int8} |")
            : $"| QAT INT8 | not run | |{validation(null)} |");
        md.AppendLine();
        md.AppendLine("## PTQ by weight granularity").AppendLine();
        md.AppendLine("| weights | activations | INT8 accuracy | drop (points) |");
        md.AppendLine("|---|---|---:|---:|");
        foreach (var v in r.PtqVariants) md.AppendLine(c, $"| {v.Weights} | {v.Activations} | {Percent(v.Accuracy)} | {v.DropPoints:0.00} |");
        if (r.Fallback is { } fallback) Fallback(md, fallback, r.Decisions, c);
        if (r.Sensitivity.Layers.Count > 0)
        {
            md.AppendLine().AppendLine("## Per-layer sensitivity").AppendLine();
            md.AppendLine(c, $"Fake-quantized model on {r.Sensitivity.Samples} {(r.Decisions.Warning is null ? "validation" : "test")} samples (they rank fallback's layers); FP32 accuracy there is the baseline. SQNR: the layer's output with only that layer quantized, against FP32 (higher is better).").AppendLine();
            md.AppendLine("| layer | SQNR (dB) | accuracy, only this layer INT8 | accuracy, all but this layer INT8 | accuracy, only this layer's weights FP32 (fallback) |");
            md.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var s in r.Sensitivity.Layers)
                md.AppendLine(c, $"| {s.Layer} | {(s.SqnrDb is double db ? db.ToString("0.0", c) : "no noise")} | {Percent(s.AccuracyOnlyThisQuantized)} | {Percent(s.AccuracyAllButThisQuantized)} | {Percent(s.AccuracyLeftInFp32)} |");
            if (r.Files.TryGetValue(SensitivityPlot.FilesKey, out var plot)) md.AppendLine().AppendLine(c, $"![Per-layer sensitivity]({plot})");
        }
        if (r.Conversion is { } check)
        {
            md.AppendLine().AppendLine("## Convert check").AppendLine();
            md.AppendLine(c, $"The integer-only model against the {check.From} it came from: accuracy {Percent(check.IntegerAccuracy)} vs {Percent(check.FakeQuantAccuracy)}, same prediction on {Percent(check.Agreement)} of the test samples.");
        }
        if (r.Epochs.Count > 0)
        {
            md.AppendLine().AppendLine("## Training").AppendLine();
            md.AppendLine("| phase | epoch | loss | train accuracy | samples/s | seconds | worker peak memory (MB) | replica hash |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var e in r.Epochs)
                md.AppendLine(c, $"| {e.Phase} | {e.Epoch} | {e.Loss:0.0000} | {Percent(e.TrainAccuracy)} | {e.SamplesPerSecond:0} | {e.Seconds:0.00} | {e.WorkerPeakBytes / 1e6:0} | {e.ParameterHash} |");
            if (r.Files.TryGetValue(TrainingPlot.FilesKey, out var curves)) md.AppendLine().AppendLine(c, $"![Training loss and accuracy per epoch]({curves})");
        }
        md.AppendLine().AppendLine("## Time").AppendLine();
        md.AppendLine("| phase | seconds |").AppendLine("|---|---:|");
        foreach (var (phase, seconds) in r.Seconds) md.AppendLine(c, $"| {phase} | {seconds:0.00} |");
        md.AppendLine().AppendLine("## Files").AppendLine();
        foreach (var (role, file) in r.Files) md.AppendLine(c, $"- {role}: `{file}`");
        return md.ToString();
    }

    private static void Data(StringBuilder md, DataFigures d, CultureInfo c)
    {
        string normalized = d.NormalizeMean is { } mean && d.NormalizeStd is { } std
            ? string.Create(c, $"normalized per channel after scaling to [0, 1]: mean [{string.Join(", ", mean.Select(m => m.ToString("R", c)))}], std [{string.Join(", ", std.Select(s => s.ToString("R", c)))}]")
            : "not normalized (values as scaled to [0, 1], or floats as given)";
        md.AppendLine(c, $"Data ({d.Format}): {d.TrainSamples} training samples from {d.Train}, {d.TestSamples} test samples from {d.Test}; " +
            $"samples of {string.Join('x', d.InputShape)}, {d.Classes} classes; {normalized}.").AppendLine();
    }

    private static void Fallback(StringBuilder md, FallbackFigures f, DecisionFigures decisions, CultureInfo c)
    {
        md.AppendLine().AppendLine("## FP32 fallback").AppendLine();
        md.AppendLine(c, $"PTQ missed the tolerance, so up to {f.MaxLayers} layers could be left in FP32, most sensitive first: {string.Join(", ", f.Candidates)}. Each step is the integer model on the {decisions.MeasuredOn}.").AppendLine();
        if (decisions.Warning is null)
        {
            md.AppendLine("| step | layers in FP32 | validation accuracy | drop (points) | test accuracy |");
            md.AppendLine("|---:|---|---:|---:|---:|");
        }
        else
        {
            md.AppendLine("| step | layers in FP32 | INT8 accuracy | drop (points) |");
            md.AppendLine("|---:|---|---:|---:|");
        }
        for (int i = 0; i < f.Steps.Count; i++)
            md.AppendLine(c, $"| {i + 1} | {string.Join(", ", f.Steps[i].Fp32Layers)} | {Percent(f.Steps[i].Accuracy)} | {f.Steps[i].DropPoints:0.00} |{(decisions.Warning is null ? $" {Percent(f.TestAccuracies[i])} |" : "")}");
        md.AppendLine();
        md.AppendLine(f.MetTolerance
            ? string.Create(c, $"Met the tolerance: the delivered model keeps {string.Join(", ", f.KeptInFp32)} in FP32.")
            : "Did not meet the tolerance: the delivered model keeps no layer in FP32.");
        md.AppendLine(c, $"Cost: the INT8 file is {f.BytesWithFallback} bytes with the last step's layers in FP32, against {f.BytesAllInt8} bytes all INT8 ({(double)f.BytesWithFallback / f.BytesAllInt8:0.00}x).");
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Points(double fractionDelta) => (fractionDelta * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
}
