using Akka.Actor;
using Akka.Cluster;
using Serilog;

namespace QuantCluster.Node;

/// <summary>
/// Ends a member process when the coordinator leaves the cluster. A member belongs to one job's cluster and cannot join
/// another, so in a container it is better restarted fresh, ready for the next coordinator, than left in a cluster that
/// has no seed. A coordinator that left (its job done) ends the member with exit 0; one that was removed without
/// leaving (it died, or was cut off and downed) ends it with exit 1, so a supervisor sees the failure.
/// </summary>
public sealed class CoordinatorWatchActor : ReceiveActor
{
    public CoordinatorWatchActor(MemberExit exit)
    {
        var cluster = Cluster.Get(Context.System);
        Receive<ClusterEvent.UnreachableMember>(m =>
        {
            if (m.Member.HasRole(ClusterRoles.Coordinator)) Log.Warning("The coordinator {Address} is unreachable", m.Member.Address);
        });
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            if (!m.Member.HasRole(ClusterRoles.Coordinator)) return;
            if (m.PreviousStatus == MemberStatus.Exiting)
            {
                Log.Information("The coordinator {Address} left the cluster; this node stops with it", m.Member.Address);
                CoordinatedShutdown.Get(Context.System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
            }
            else
            {
                exit.Fail($"the coordinator {m.Member.Address} was removed from the cluster without leaving it (it died or was cut off)");
            }
        });
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.UnreachableMember));
    }

    public static Props Props(MemberExit exit) => Akka.Actor.Props.Create(() => new CoordinatorWatchActor(exit));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}
