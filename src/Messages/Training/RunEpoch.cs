using MessagePack;

namespace QuantCluster.Messages.Training;

/// <summary>
/// Starts one epoch on every replica. ObserveActivations false freezes the activation observers;
/// FreezeBatchNorm true switches BatchNorm to its running statistics.
/// </summary>
[MessagePackObject]
public sealed record RunEpoch(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Epoch,
    [property: Key(2)] bool ObserveActivations,
    [property: Key(3)] bool FreezeBatchNorm,
    [property: Key(4)] string TraceParent);

/// <summary>
/// A replica finished an epoch: its share of loss and accuracy, a hash of its parameters to compare across replicas, and
/// its process's peak working set so far (bytes), to show a worker's memory stays flat across epochs.
/// </summary>
[MessagePackObject]
public sealed record EpochCompleted(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Rank,
    [property: Key(2)] int Epoch,
    [property: Key(3)] double LossSum,
    [property: Key(4)] int Correct,
    [property: Key(5)] int Samples,
    [property: Key(6)] string ParameterHash,
    [property: Key(7)] double Seconds,
    [property: Key(8)] long PeakWorkingSetBytes);
