using MessagePack;

namespace QuantCluster.Messages.Training;

/// <summary>
/// One replica's contribution to a step: its flattened gradients and synchronised state (BatchNorm and observer buffers),
/// already weighted by its share of the global batch, so the sum over replicas is the global average.
/// </summary>
[MessagePackObject]
public sealed record LocalGradients(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Epoch,
    [property: Key(2)] int Step,
    [property: Key(3)] int Rank,
    [property: Key(4)] float[] Values);

/// <summary>The sum of every replica's <see cref="LocalGradients"/> for a step; each replica applies it identically.</summary>
[MessagePackObject]
public sealed record AveragedGradients(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Epoch,
    [property: Key(2)] int Step,
    [property: Key(3)] float[] Values);
