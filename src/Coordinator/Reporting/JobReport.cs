using QuantCluster.Coordinator.Jobs;
using QuantCluster.Quantization.Evaluation;

namespace QuantCluster.Coordinator.Reporting;

/// <summary>Everything a job measured; written as report.json (snake_case keys) and rendered as report.md.</summary>
public sealed record JobReport(
    string Name,
    string Model,
    string Mode,
    double Tolerance,
    string Path,
    string PathReason,
    string? ToleranceMetBy,
    AccuracyFigures Accuracy,
    IReadOnlyList<PtqVariant> PtqVariants,
    FallbackFigures? Fallback,
    ConversionCheck? Conversion,
    IReadOnlyDictionary<string, double> Seconds,
    SizeFigures Bytes,
    IReadOnlyList<EpochRecord> Epochs,
    IReadOnlyDictionary<string, string> Files,
    string CalibrationMethod,
    SensitivityFigures Sensitivity,
    DecisionFigures Decisions)
{
    /// <summary>The data the accuracies are of; null only in reports built by hand.</summary>
    public DataFigures? Data { get; init; }
}

/// <summary>
/// Which samples the job's decisions (PTQ against the tolerance, fallback, mode auto's move to QAT, the sensitivity ranking)
/// were measured on, and the FP32 and PTQ accuracy they saw there (fractions); the fallback's own figures are its steps.
/// On the test samples these equal the report's accuracies, and Warning says that the figures are then optimistic.
/// </summary>
public sealed record DecisionFigures(string MeasuredOn, int ValidationSamples, string? Warning, double Fp32Accuracy, double PtqAccuracy, double PtqDropPoints)
{
    public const string TestSamplesWarning =
        "the decisions were measured on the test samples the report quotes, so its accuracies are optimistic; set data.validation_samples to measure them on held-out training samples";
}

/// <summary>Per-layer sensitivity of the PTQ model and how many decision samples (see <see cref="DecisionFigures"/>) it was measured on.</summary>
public sealed record SensitivityFigures(int Samples, IReadOnlyList<LayerSensitivity> Layers);

/// <summary>Test accuracy (a fraction in [0, 1]) of each model; null for a phase that did not run. PtqFallback is the fallback search's last model.</summary>
public sealed record AccuracyFigures(double Fp32, double Ptq, double? PtqFallback, double? Qat, double Final);

/// <summary>
/// What the fallback search tried and what it costs: the layers it could choose (most sensitive first), each step's
/// integer model (its accuracy and drop on the decision samples, which the search stopped on), whether the last step met the
/// tolerance, the INT8 file size all INT8 and with the last step's layers in FP32, and each step's test accuracy.
/// </summary>
public sealed record FallbackFigures(
    int MaxLayers, IReadOnlyList<string> Candidates, IReadOnlyList<FallbackStep> Steps, bool MetTolerance, long BytesAllInt8, long BytesWithFallback,
    IReadOnlyList<double> TestAccuracies)
{
    /// <summary>The layers the delivered model keeps in FP32: the last step's when it met the tolerance, none otherwise.</summary>
    public IReadOnlyList<string> KeptInFp32 => MetTolerance ? Steps[^1].Fp32Layers : [];
}

/// <summary>A PTQ INT8 model of one weight granularity, evaluated with the integer executor.</summary>
public sealed record PtqVariant(string Weights, string Activations, double Accuracy, double DropPoints);

/// <summary>How the integer model compares with the fake-quantized model it was converted from.</summary>
public sealed record ConversionCheck(string From, double FakeQuantAccuracy, double IntegerAccuracy, double Agreement);

/// <summary>File sizes of the FP32 checkpoint and the INT8 model.</summary>
public sealed record SizeFigures(long Fp32, long Int8);
