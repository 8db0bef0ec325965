using MessagePack;

namespace QuantCluster.Messages.Training;

/// <summary>
/// One slice of a replica's contribution to a step: its flattened gradients and synchronised state (BatchNorm and
/// observer buffers), already weighted by its share of the global batch, so the sum over replicas is the global average.
/// Values are elements [Offset, Offset + Values.Length) of a share of Total values (see <see cref="GradientChunks"/>).
/// </summary>
[MessagePackObject]
public sealed record LocalGradients(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Epoch,
    [property: Key(2)] int Step,
    [property: Key(3)] int Rank,
    [property: Key(4)] float[] Values,
    [property: Key(5)] int Offset,
    [property: Key(6)] int Total);

/// <summary>One slice of the sum of every replica's <see cref="LocalGradients"/> for a step; each replica applies the whole sum identically.</summary>
[MessagePackObject]
public sealed record AveragedGradients(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Epoch,
    [property: Key(2)] int Step,
    [property: Key(3)] float[] Values,
    [property: Key(4)] int Offset,
    [property: Key(5)] int Total);
