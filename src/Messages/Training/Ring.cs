using MessagePack;

namespace QuantCluster.Messages.Training;

/// <summary>
/// Asks a prepared worker to listen for its ring predecessor: the first half of setting up the ring all-reduce, whose
/// bulk traffic goes over its own TCP links rather than Akka.Remote.
/// </summary>
[MessagePackObject]
public sealed record OpenRing(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Rank,
    [property: Key(2)] int WorldSize);

/// <summary>Where a worker listens for its ring predecessor.</summary>
[MessagePackObject]
public sealed record RingEndpoint(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Rank,
    [property: Key(2)] string Host,
    [property: Key(3)] int Port);

/// <summary>Tells a worker its successor's endpoint; every rank connects forward and accepts from behind at once.</summary>
[MessagePackObject]
public sealed record ConnectRing(
    [property: Key(0)] string JobId,
    [property: Key(1)] string NextHost,
    [property: Key(2)] int NextPort);

/// <summary>A worker's ring links are up and checked (job, rank and world size agree on both sides).</summary>
[MessagePackObject]
public sealed record RingReady(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Rank);
