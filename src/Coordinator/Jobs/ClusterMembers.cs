using Akka.Actor;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>The actors a job may use: one training worker per device, and the calibration actors.</summary>
public sealed record ClusterMembers(IReadOnlyList<IActorRef> Workers, IReadOnlyList<IActorRef> Calibrators, IActorRefFactory Spawner);
