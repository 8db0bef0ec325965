using MessagePack;
using QuantCluster.Messages.Models;

namespace QuantCluster.Messages.Training;

/// <summary>Asks a worker to evaluate its replica (in its current mode, fake-quantized or FP32) on a data set.</summary>
[MessagePackObject]
public sealed record EvaluateReplica(
    [property: Key(0)] string JobId,
    [property: Key(1)] DataSource Data,
    [property: Key(2)] int BatchSize,
    [property: Key(3)] string TraceParent);

/// <summary>The replica's prediction for every sample, in order.</summary>
[MessagePackObject]
public sealed record EvaluationResult(
    [property: Key(0)] string JobId,
    [property: Key(1)] int[] Predictions,
    [property: Key(2)] int Correct,
    [property: Key(3)] int Total);

/// <summary>Asks a worker for its replica's state.</summary>
[MessagePackObject]
public sealed record FetchModel(
    [property: Key(0)] string JobId);
