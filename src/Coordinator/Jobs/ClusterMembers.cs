using Akka.Actor;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>
/// The actors a job may use: one training worker per device, the calibration actors, and this node's blob store
/// (where the coordinator puts the models it hands out), in the given actor system.
/// </summary>
public sealed record ClusterMembers(IReadOnlyList<IActorRef> Workers, IReadOnlyList<IActorRef> Calibrators, IActorRef Blobs, ActorSystem System);
