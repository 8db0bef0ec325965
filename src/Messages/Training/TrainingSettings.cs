using QuantCluster.Messages.Models;

namespace QuantCluster.Messages.Training;

/// <summary>
/// What every replica needs to take identical steps: the data and its order (Seed), the global batch each step splits,
/// the optimizer, and whether the forward pass fake-quantizes (QAT) or runs in FP32.
/// </summary>
public sealed record TrainingSettings(
    bool FakeQuantize,
    QuantizationSettings Quantization,
    string Optimizer,
    double LearningRate,
    int GlobalBatchSize,
    int Seed,
    int Threads,
    string Device);
