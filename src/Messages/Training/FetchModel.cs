using MessagePack;

namespace QuantCluster.Messages.Training;

/// <summary>Asks a worker for its replica's state.</summary>
[MessagePackObject]
public sealed record FetchModel(
    [property: Key(0)] string JobId);
