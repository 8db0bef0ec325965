using QuantCluster.Messages.Models;

namespace QuantCluster.Messages.Training;

/// <summary>Gives a worker its rank, the model to start from and the settings; it answers with <see cref="WorkerReady"/>.</summary>
public sealed record PrepareTraining(
    string JobId, int Rank, int WorldSize, ModelSnapshot Model, TrainingSettings Settings, DataSource Data, string TraceParent);

/// <summary>A worker has built its replica; ParameterHash lets the coordinator check that all replicas start equal.</summary>
public sealed record WorkerReady(string JobId, int Rank, string ParameterHash);
