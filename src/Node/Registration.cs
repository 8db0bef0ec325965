using Akka.Actor;

namespace QuantCluster.Node;

/// <summary>
/// Where a member announces itself (the coordinator's registry), what it announces (its node and device), the cluster
/// secret it proves it holds (null in an open cluster) and how its process ends if the registry refuses it.
/// </summary>
public sealed record Registration(ActorPath Registry, string Node, string Device, ClusterSecret? Secret, MemberExit Exit);
