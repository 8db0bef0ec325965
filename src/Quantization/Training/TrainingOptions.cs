using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Quantization.Training;

/// <summary>How one replica trains; identical on every replica of a job.</summary>
public sealed record TrainingOptions(
    bool FakeQuantize,
    ActivationScheme Activations,
    WeightGranularity Weights,
    OptimizerChoice Optimizer,
    double LearningRate,
    int Epochs,
    int GlobalBatchSize,
    int Seed,
    string Device,
    int AugmentShift);
