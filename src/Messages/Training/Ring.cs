using MessagePack;

namespace QuantCluster.Messages.Training;

/// <summary>
/// Asks a prepared worker to join Ring, the first half of setting up the ring all-reduce, whose bulk traffic goes over
/// its own TCP links rather than Akka.Remote. The ring has one place per process: Rank of WorldSize is the worker's
/// process's place, LocalIndex of LocalReplicas the worker's place among that process's replicas, which sum in the
/// process before the ring. The ring's Replicas are numbered process by process in ring order, the process's own from
/// FirstReplica on. Ring names the job and phase, so a neighbour left over from another phase is refused.
/// </summary>
[MessagePackObject]
public sealed record OpenRing(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Rank,
    [property: Key(2)] int WorldSize,
    [property: Key(3)] string Ring,
    [property: Key(4)] int LocalIndex,
    [property: Key(5)] int LocalReplicas,
    [property: Key(6)] int FirstReplica,
    [property: Key(7)] int Replicas);

/// <summary>Where a worker's process listens for its ring predecessor; Rank is the process's place in the ring (port 0: a ring of one process, no listener).</summary>
[MessagePackObject]
public sealed record RingEndpoint(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Rank,
    [property: Key(2)] string Host,
    [property: Key(3)] int Port);

/// <summary>Tells a worker its process's successor's endpoint; every process connects forward and accepts from behind at once.</summary>
[MessagePackObject]
public sealed record ConnectRing(
    [property: Key(0)] string JobId,
    [property: Key(1)] string NextHost,
    [property: Key(2)] int NextPort);

/// <summary>A worker's process ring links are up and checked (ring, rank and world size agree on both sides); Rank is the worker's replica rank.</summary>
[MessagePackObject]
public sealed record RingReady(
    [property: Key(0)] string JobId,
    [property: Key(1)] int Rank);
