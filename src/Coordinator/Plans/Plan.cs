using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Quantization.Training;

namespace QuantCluster.Coordinator.Plans;

/// <summary>What the user asked for in qat.yaml, validated: every value here is in range and every file exists.</summary>
public sealed record Plan(
    string Name,
    int Seed,
    string Output,
    JobMode Mode,
    double Tolerance,
    string Model,
    string? Weights,
    DataPlan Data,
    Fp32Plan Fp32,
    PtqPlan Ptq,
    QatPlan Qat);

/// <summary>Which path a job takes: PTQ only, QAT only (after PTQ calibration), or PTQ then QAT when PTQ misses the tolerance.</summary>
public enum JobMode
{
    Ptq,
    Qat,
    Auto,
}

/// <summary>
/// Where the samples come from and how they are read (array layout, normalization), how many of them calibrate, and how
/// many training samples are held out to validate the job's decisions.
/// </summary>
public sealed record DataPlan(
    DataFiles Train,
    DataFiles Test,
    int CalibrationSamples,
    int BatchSize,
    int AugmentShift)
{
    /// <summary>Training samples held out, never trained on, to measure the decisions on; 0 measures them on the test samples.</summary>
    public int ValidationSamples { get; init; }

    /// <summary>Where data.validation_samples was written, so a count the training set cannot spare is reported there.</summary>
    public PlanLocation? ValidationLocation { get; init; }

    public ArrayLayout Layout { get; init; } = ArrayLayout.Nchw;

    public Normalization Normalization { get; init; } = Normalization.None;

    /// <summary>How every node opens one split: its files with the plan's layout and normalization.</summary>
    public DataSetSpec Spec(DataFiles split) => new(split.Format, split.Images, split.Labels, Layout, Normalization);
}

/// <summary>One split's files (absolute paths that exist), and the plan key that named them, for errors found when they are read.</summary>
public sealed record DataFiles(DataFormat Format, string Images, string? Labels, string KeyPath, PlanLocation? Location);

/// <summary>FP32 training from scratch (skipped when the plan gives weights).</summary>
public sealed record Fp32Plan(int Epochs, OptimizerChoice Optimizer, double LearningRate, int BatchSize);

/// <summary>Post-training quantization settings.</summary>
public sealed record PtqPlan(
    CalibrationMethod Method,
    WeightGranularity Weights,
    ActivationScheme Activations,
    int Shards,
    double Percentile = PtqPlan.DefaultPercentile,
    int Bins = PtqPlan.DefaultBins)
{
    public const double DefaultPercentile = 99.99;

    public const int DefaultBins = 2048;

    /// <summary>Per quantization point ("input", "layer2.output") overrides; null when none were given.</summary>
    public IReadOnlyDictionary<string, PointCalibration>? Layers { get; init; }

    /// <summary>Accuracy-driven fallback: which layers PTQ may leave in FP32 when it misses the tolerance.</summary>
    public FallbackPlan Fallback { get; init; } = FallbackPlan.Off;

    /// <summary>The method and percentile that apply to one point.</summary>
    public PointCalibration For(string point) =>
        Layers is not null && Layers.TryGetValue(point, out var own) ? own : new PointCalibration(Method, Percentile);
}

/// <summary>
/// When PTQ misses the tolerance, leave up to MaxLayers compute layers in FP32 (0 turns fallback off), chosen among Allow
/// (null: every compute layer), most sensitive first.
/// </summary>
public sealed record FallbackPlan(int MaxLayers, IReadOnlyList<string>? Allow)
{
    /// <summary>Mode auto's default: the common case, one fragile layer, is repaired without QAT; a model that needs more gets QAT, which keeps every layer INT8.</summary>
    public const int AutoDefaultMaxLayers = 1;

    public static readonly FallbackPlan Off = new(0, null);

    public bool Enabled => MaxLayers > 0;
}

/// <summary>How one quantization point is calibrated (a ptq.layers entry, or the section's defaults).</summary>
public sealed record PointCalibration(CalibrationMethod Method, double Percentile);

/// <summary>Quantization-aware fine-tuning settings.</summary>
public sealed record QatPlan(
    int Epochs,
    OptimizerChoice Optimizer,
    double LearningRate,
    int Workers,
    int GlobalBatchSize,
    int FreezeObserversAfter,
    int FreezeBnAfter,
    string Device,
    int ThreadsPerWorker)
{
    /// <summary>Where the plan wrote qat.device (null when defaulted or built in code), so DeviceSelection can point at it.</summary>
    public PlanLocation? DeviceLocation { get; init; }

    /// <summary>How replicas sum their gradients each step (FP32 training and QAT alike).</summary>
    public GradientExchange GradientExchange { get; init; } = GradientExchange.Ring;
}

/// <summary>
/// Ring: the workers' own ring all-reduce over TCP, bandwidth-optimal and the coordinator out of the data path.
/// Coordinator: every share goes to the coordinator through Akka, for clusters whose workers cannot reach each other.
/// </summary>
public enum GradientExchange
{
    Ring,
    Coordinator,
}

/// <summary>How calibration turns activations into clip ranges: the observed min and max, or a search on a histogram.</summary>
public enum CalibrationMethod
{
    MinMax,
    Percentile,
    Entropy,
    Mse,
}
