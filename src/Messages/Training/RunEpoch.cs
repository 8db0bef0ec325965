namespace QuantCluster.Messages.Training;

/// <summary>
/// Starts one epoch on every replica. ObserveActivations false freezes the activation observers;
/// FreezeBatchNorm true switches BatchNorm to its running statistics.
/// </summary>
public sealed record RunEpoch(string JobId, int Epoch, bool ObserveActivations, bool FreezeBatchNorm, string TraceParent);

/// <summary>A replica finished an epoch: its share of loss and accuracy, and a hash of its parameters to compare across replicas.</summary>
public sealed record EpochCompleted(
    string JobId, int Rank, int Epoch, double LossSum, int Correct, int Samples, string ParameterHash, double Seconds);
