using MessagePack;

namespace QuantCluster.Messages;

/// <summary>A node could not do what it was asked; Reason says what and where, for the user.</summary>
[MessagePackObject]
public sealed record JobFailed(
    [property: Key(0)] string JobId,
    [property: Key(1)] string Node,
    [property: Key(2)] string Reason);
