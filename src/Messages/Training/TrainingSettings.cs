using MessagePack;
using QuantCluster.Messages.Models;
using QuantCluster.Quantization.Training;

namespace QuantCluster.Messages.Training;

/// <summary>
/// What every replica needs to take identical steps: the data and its order (Seed), the global batch each step splits,
/// the optimizer and its schedule over Epochs, the augmentation, whether the forward pass fake-quantizes (QAT) or runs in FP32,
/// and how many training samples are held out for validation (each replica draws the same ones from Seed and never trains on them).
/// Threads and Device are the plan's wish (qat.threads_per_worker, qat.device as the coordinator resolved it); a worker
/// process started with its own --threads or --devices keeps those and logs that they override the plan.
/// </summary>
[MessagePackObject]
public sealed record TrainingSettings(
    [property: Key(0)] bool FakeQuantize,
    [property: Key(1)] QuantizationSettings Quantization,
    [property: Key(2)] OptimizerChoice Optimizer,
    [property: Key(3)] double LearningRate,
    [property: Key(4)] int GlobalBatchSize,
    [property: Key(5)] int Seed,
    [property: Key(6)] int Threads,
    [property: Key(7)] DeviceKind DeviceKind,
    [property: Key(8)] int Epochs,
    [property: Key(9)] int AugmentShift,
    [property: Key(10)] int HeldOutSamples,
    [property: Key(11)] int DeviceIndex)
{
    /// <summary>The device the plan asks for.</summary>
    [IgnoreMember]
    public TrainingDevice Device => new(DeviceKind, DeviceIndex);
}
