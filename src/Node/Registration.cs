using Akka.Actor;

namespace QuantCluster.Node;

/// <summary>Where a member announces itself (the coordinator's registry) and what it announces: its node and device.</summary>
public sealed record Registration(ActorPath Registry, string Node, string Device);
