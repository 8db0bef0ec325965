using Akka.Actor;
using Akka.Cluster;
using Serilog;

namespace QuantCluster.Node;

/// <summary>
/// Ends a member process when the coordinator leaves the cluster (its job finished, or it died and was downed). A
/// member belongs to one job's cluster and cannot join another, so in a container it is better restarted fresh, ready
/// for the next coordinator, than left running in a cluster that has no seed.
/// </summary>
public sealed class CoordinatorWatchActor : ReceiveActor
{
    public CoordinatorWatchActor()
    {
        var cluster = Cluster.Get(Context.System);
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            if (!m.Member.HasRole(ClusterRoles.Coordinator)) return;
            Log.Information("The coordinator {Address} left the cluster; this node stops with it", m.Member.Address);
            CoordinatedShutdown.Get(Context.System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        });
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new CoordinatorWatchActor());

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}
