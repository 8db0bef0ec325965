using Akka.Actor;
using QuantCluster.Coordinator.Jobs;

namespace QuantCluster.Tests.Cluster;

public sealed class RingLayoutTests
{
    private static readonly Address A = new("akka.tcp", "quantcluster", "10.0.0.1", 4053);
    private static readonly Address B = new("akka.tcp", "quantcluster", "10.0.0.2", 4053);
    private static readonly Address C = new("akka.tcp", "quantcluster", "10.0.0.3", 4053);

    [Fact]
    public void Workers_of_one_node_share_its_place_and_keep_their_rank_order()
    {
        var places = RingLayout.Of([A, A, B]);

        Assert.Equal([new RingPlace(0, 2, 0, 2, 0, 3), new RingPlace(0, 2, 1, 2, 0, 3), new RingPlace(1, 2, 0, 1, 2, 3)], places);
    }

    [Fact]
    public void Replicas_are_numbered_process_by_process_even_when_a_process_s_workers_are_not_consecutive_ranks()
    {
        var places = RingLayout.Of([A, B, A, C]);

        Assert.Equal([0, 2, 1, 3], places.Select(p => p.FirstReplica + p.LocalIndex));
        Assert.All(places, p => Assert.Equal(4, p.Replicas));
    }

    [Fact]
    public void One_worker_per_node_gives_every_worker_its_own_place()
    {
        Assert.Equal([new RingPlace(0, 3, 0, 1, 0, 3), new RingPlace(1, 3, 0, 1, 1, 3), new RingPlace(2, 3, 0, 1, 2, 3)], RingLayout.Of([A, B, C]));
    }

    [Fact]
    public void The_embedded_cluster_is_one_process()
    {
        var local = new Address("akka", "quantcluster");

        Assert.All(RingLayout.Of([local, local, local]), p => Assert.Equal((0, 1, 3), (p.Process, p.Processes, p.LocalReplicas)));
    }
}
