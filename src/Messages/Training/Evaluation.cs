using QuantCluster.Messages.Models;

namespace QuantCluster.Messages.Training;

/// <summary>Asks a worker to evaluate its replica (in its current mode, fake-quantized or FP32) on a data set.</summary>
public sealed record EvaluateReplica(string JobId, DataSource Data, int BatchSize, string TraceParent);

/// <summary>The replica's prediction for every sample, in order.</summary>
public sealed record EvaluationResult(string JobId, int[] Predictions, int Correct, int Total);

/// <summary>Asks a worker for its replica's state.</summary>
public sealed record FetchModel(string JobId);
