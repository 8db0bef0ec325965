namespace QuantCluster.Messages.Training;

/// <summary>
/// One replica's contribution to a step: its flattened gradients and synchronised state (BatchNorm and observer buffers),
/// already weighted by its share of the global batch, so the sum over replicas is the global average.
/// </summary>
public sealed record LocalGradients(string JobId, int Epoch, int Step, int Rank, float[] Values);

/// <summary>The sum of every replica's <see cref="LocalGradients"/> for a step; each replica applies it identically.</summary>
public sealed record AveragedGradients(string JobId, int Epoch, int Step, float[] Values);
