using MessagePack;
using QuantCluster.Messages.Models;

namespace QuantCluster.Messages.Training;

/// <summary>Gives a worker its rank, the model to start from and the settings; it answers with <see cref="WorkerReady"/>.</summary>
[MessagePackObject]
public sealed record PrepareTraining(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Rank,
    [property: Key(2)] int WorldSize,
    [property: Key(3)] ModelSnapshot Model,
    [property: Key(4)] TrainingSettings Settings,
    [property: Key(5)] DataSource Data,
    [property: Key(6)] string TraceParent);

/// <summary>A worker has built its replica; ParameterHash lets the coordinator check that all replicas start equal.</summary>
[MessagePackObject]
public sealed record WorkerReady(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Rank,
    [property: Key(2)] string ParameterHash);
